// `spectrum` CLI entry.
import { version } from '../../package.json';

const HELP = `spectrum ${version}: launch and manage sandboxes across the isolation spectrum

Usage: spectrum <command> [options]

Commands:
  --version   print the version
  --help      print this help
`;

function main(argv: string[]): number {
  const [cmd] = argv;
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(`spectrum: unknown command '${cmd}'. Run 'spectrum --help'.\n`);
  return 125;
}

process.exitCode = main(process.argv.slice(2));
