// What a host process of a sandbox holds: capabilities, namespaces entered, mounts writable from
// inside it, device nodes in its root, and device files it has open.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { capabilityNames, enteredNamespaces, readStatus, writableMounts, type ProcStatus } from './proc-status';

export interface ProcessFacts {
  status: ProcStatus;
  capabilities: string[];
  namespaces: string[];
  writableMounts: string[];
}

export function processFacts(pid: number): ProcessFacts {
  const status = readStatus(pid);
  return {
    status,
    capabilities: capabilityNames(status.capEff),
    namespaces: enteredNamespaces(pid),
    writableMounts: writableMounts(readFileSync(`/proc/${pid}/mountinfo`, 'utf8')),
  };
}

/** Character and block devices under the process's /dev, as paths seen from inside. */
export function devNodes(pid: number): string[] {
  const out: string[] = [];
  const root = `/proc/${pid}/root`;
  const walk = (rel: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, rel));
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(rel, n);
      try {
        const st = lstatSync(path.join(root, p));
        if (st.isCharacterDevice() || st.isBlockDevice()) out.push(p);
        else if (st.isDirectory() && depth < 2) walk(p, depth + 1);
      } catch {
        // Gone while looking.
      }
    }
  };
  walk('/dev', 0);
  return out.sort();
}

/** Host device files (/dev/...) the process has open, e.g. /dev/kvm or /dev/net/tun. */
export function openDeviceFiles(pid: number): string[] {
  const out = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('/dev/')) out.add(target);
    } catch {
      // Closed while looking.
    }
  }
  return [...out].sort();
}
