// The guest agent: a busybox sh script /init starts in the background before the workload. It
// speaks the frames of agent-protocol.ts on the virtio-serial port named AGENT_PORT_NAME, runs
// one command at a time with its argv, env and cwd, and streams stdout and stderr back apart.
// Built from busybox alone (sh, base64, dd, mkfifo, setsid), so nothing is downloaded or compiled.
//
// How a request runs: the command's stdin, stdout and stderr are fifos in /run/agent; two pump
// jobs turn stdout and stderr into O/F frames (3 KiB chunks: one write each on the port, so
// frames from the two never interleave mid-line); after both pumps have drained, the exit frame
// goes out. The main loop keeps reading frames meanwhile (stdin data, end of stdin, kill).

export const AGENT_PORT_NAME = 'spectrum.agent';

/** The agent's sh source; `chroot` runs every command inside that mounted root image. */
export function agentScript(chroot?: string): string {
  const root = chroot ? `'${chroot.replace(/'/g, `'\\''`)}'` : "''";
  return `#!/bin/sh
ROOT=${root}
W=/run/agent
mkdir -p $W
P=
# The port shows up a moment after virtio_console is loaded: wait for it (up to 10 s).
for i in $(seq 100); do
  for d in /sys/class/virtio-ports/*; do [ "$(cat "$d/name" 2>/dev/null)" = ${AGENT_PORT_NAME} ] && P=/dev/\${d##*/}; done
  [ -n "$P" ] && [ -e "$P" ] && break
  P=
  sleep 0.1
done
[ -n "$P" ] || { echo "spectrum-agent: no virtio port named ${AGENT_PORT_NAME}" >/dev/console; exit 1; }
exec 3<>"$P"
dec() { printf %s "$1" | base64 -d; }
enc() { printf %s "$1" | base64 | tr -d '\\n'; }
pump() {
  while c=$(dd bs=3072 count=1 2>/dev/null | base64 | tr -d '\\n'); [ -n "$c" ]; do echo "$1 $c" >&3; done
}
run() {
  pump O <$W/out & o=$!
  pump F <$W/err & f=$!
  setsid sh -c '
    echo $$ >'$W'/pid
    for e in $ENVS; do export "$(printf %s "$e" | base64 -d)"; done
    set --
    for a in $ARGS; do set -- "$@" "$(printf %s "$a" | base64 -d)"; done
    if [ -n "$ROOT" ]; then exec chroot "$ROOT" "$@"; fi
    cd "$CWD" || exit 126
    exec "$@"' >$W/out 2>$W/err
  rc=$?
  wait $o $f
  echo "X $N $rc" >&3
}
stop() {
  [ -s $W/pid ] && kill -9 -"$(cat $W/pid)" 2>/dev/null
  [ -n "$JOB" ] && wait "$JOB"
  exec 4>&-
  JOB=
}
JOB=
# A read finds end-of-file whenever no host client is connected to the port's socket: wait
# and read again, the port stays open.
while :; do
while read -r t v <&3; do
  case "$t" in
    N) stop; N=$v; ARGS=; ENVS=; CWD=/ ;;
    A) ARGS="$ARGS $v" ;;
    E) ENVS="$ENVS $v" ;;
    C) CWD=$(dec "$v") ;;
    G)
      rm -f $W/in $W/out $W/err $W/pid
      mkfifo $W/in $W/out $W/err
      echo "R $N" >&3
      export ARGS ENVS CWD ROOT
      # Both ends of the stdin fifo are opened here, before the command starts: opened later,
      # after an early Z closed the only writer, its open would wait for ever. The command gets
      # the read end and never the write end, so Z (closing fd 4) is its end of input.
      exec 4<>$W/in 5<$W/in
      # exec, not a redirection on the call: ash keeps a saved copy of fds redirected for a
      # function, and a stray write end would keep the command's stdin open for ever.
      ( exec 0<&5 4>&- 5<&-; run ) &
      JOB=$!
      exec 5<&- ;;
    I) [ -n "$JOB" ] && dec "$v" >&4 ;;
    Z) exec 4>&- ;;
    K) [ -s $W/pid ] && kill -9 -"$(cat $W/pid)" 2>/dev/null ;;
  esac
done
sleep 0.2
done
`;
}
