// The `spectrum --help` text. Verbs list themselves here by hand: the order and grouping are for
// readers, not the verb table's.
import { version } from '../../package.json';

export const VERSION: string = version;

export const HELP = `spectrum ${version}: launch and manage sandboxes across the isolation spectrum

Usage: spectrum <command> [options]

Commands:
  up <file|bundle-dir> [--name N] [--unsafe] [--json]   launch every sandbox in the file (or the named one);
                       [--isolation container|gvisor]  a bundle directory runs under runc (default) or runsc
  run <file> [--name N] [--timeout 30s] [--unsafe]      launch, stream output, wait, tear down; exits with its code
  compare <file> [--name N] [--timeout 30s] [--json]    the workload at every supported level: first output, memory, run time
  export --kubernetes <file> [--name N] [-o OUT]       Pods/Jobs with the level's RuntimeClass, NetworkPolicy, Service;
                       [--runtime-classes=gvisor=N,...]  RuntimeClasses in OUT's .runtimeclasses.yaml (stdout without -o)
  ps [--json]                                          list sandboxes (reconciled with reality)
  inspect <id|name>                                    details as JSON (memory, CPU, pid, URL...)
  inspect <id|name> --surface [--json]                 attack surface measured from the running sandbox
  logs <id|name> [-f]                                  captured output; -f follows
  exec <id|name> [-t|--tty] -- <cmd...>                run a command inside a running sandbox; -t gives it
                                                       this terminal (for shells)
  cp <src> <dst>                                       copy into (cp ./f web:/tmp) or out of (cp web:/etc/os-release .)
                                                       a running sandbox; permissions and symlinks kept
  pause <id|name>... / resume <id|name>...            freeze every process in place / thaw (container, gvisor)
  snapshot <id|name> [--name N] [--json]               save a running sandbox's state (microvm/vm go on; gvisor stops)
  restore <snapshot> [--json]                          start a new sandbox where the snapshot left off
  fork <id|name> [--count N] [--json]                  N running copies of a microvm/vm (the original goes on)
  snapshots [rm <name>...] [--json]                    list saved snapshots, or delete some
  down <id|name>... | --all                            tear down and forget
  doctor [--json] [--refresh]                          what this host can run, and how to fix the rest;
                                                       --refresh probes every runtime again (rewrites the host cache)
  cache [clean [--kernels]] [--json]                   VM boot artefact cache: location and size; clean it
  pull <image> [--json]                                fetch an image (alpine:3.20, oci-layout:DIR[:TAG],
                                                       docker-archive:FILE.tar) into the image store
  images [--json]                                      the stored images, their size and the sandboxes using them
  rmi <image>...                                       forget images (their bytes go at the next prune)
  image prune [--json]                                 delete what no image or sandbox references; bytes freed
  mcp [--policy=FILE]                                  MCP server on stdio: sandboxes for agents, within
                                                       .spectrum/agent-policy.yaml (torn down when it exits)
  --version, --help

Exit codes: the sandbox's own code for run/exec; 125 for engine errors (bad spec, missing runtime).
`;
