// Image patterns of the agent policy. `*` matches within one path segment, `**` across them.
// An image that names a host path (a directory, oci-layout:, docker-archive:) exposes host files
// to the sandbox, so only a pattern of that same kind can allow it: `**` alone never does.
import { classifyImage } from '../images/source';

export function isHostPathImage(image: string): boolean {
  const kind = classifyImage(image).kind;
  return kind !== 'busybox' && kind !== 'reference';
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function imageAllowed(image: string, patterns: readonly string[]): boolean {
  const kind = classifyImage(image).kind;
  const host = isHostPathImage(image);
  return patterns.some((p) => (host ? classifyImage(p).kind === kind : !isHostPathImage(p)) && globToRegExp(p).test(image));
}
