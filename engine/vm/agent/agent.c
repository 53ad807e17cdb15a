/*
 * spectrum-agent: the guest agent of Isolation Spectrum's microVMs and VMs.
 *
 * /init starts it in the background; it serves one host client at a time on the virtio-serial
 * port named "spectrum.agent" (a Unix socket on the host) and runs commands for it: argv (no
 * shell), env, cwd, inside the image's root (chroot), stdout and stderr apart or one terminal
 * (a pty with a window size), stdin, kill, exit code. It also sets the clock and feeds the
 * kernel's random pool for a restored snapshot.
 *
 * Frames both ways: one type byte, a 4-byte big-endian payload length, the payload. The wire
 * format is described once, in engine/vm/agent-protocol.ts; this file follows it.
 *
 * A host session starts with a fixed HELLO frame. Until the agent has seen one (at start, after
 * the host went away, after a malformed frame) it discards bytes while looking for it, so the
 * tail of a session that died mid-frame can never be taken for a new request.
 *
 * `--listen PATH` serves a Unix socket instead of the port: the same agent, run on the host by
 * the tests without a VM.
 *
 * Single-threaded: one poll loop over the port, the command's output and a signalfd (SIGCHLD,
 * and SIGIO for the port's host-connected changes).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PORT_NAME "spectrum.agent"
#define HELLO_TEXT "spectrum-agent/1"
#define MAX_PAYLOAD (1u << 20)   /* a frame from the host; larger is a broken stream */
#define MAX_WORDS 4096           /* argv words, env entries */
#define OUT_CHUNK 65536          /* one O/F frame */
#define IN_BUF (MAX_PAYLOAD + 5) * 2
#define DRAIN_MS 1000            /* after exit, how long output may still arrive */

extern char **environ;

static int port = -1;         /* the host connection */
static int listen_fd = -1;    /* --listen mode */
static int sig_fd = -1;
static int connected;         /* the port has a host client (virtio mode) */
static int synced;            /* a HELLO was seen: bytes are frames */
static const char *root;      /* chroot for commands, or NULL */

static unsigned char inbuf[IN_BUF];
static size_t in_len;

/* The request being assembled, then run. */
static char *nonce;
static char *words[MAX_WORDS + 1];
static int nwords;
static char *envs[MAX_WORDS + 8];
static int nenvs;
static char *cwd;
static int want_tty;
static struct winsize ws;
static int64_t set_time_ms = -1;
static int64_t step_ms;          /* move the clock by this much (a VM stopped for that long) */
static int has_step;
static unsigned char *seed;
static uint32_t seed_len;

static pid_t child = -1;
static int child_status;
static int in_fd = -1, out_fd = -1, err_fd = -1; /* tty: out_fd is the master, in_fd a dup of it */
static unsigned char *pending;   /* stdin not yet taken by the command */
static size_t pending_len, pending_off;
static int stdin_end_pending;
static int64_t exited_at = -1;   /* when the command exited (ms, monotonic) */

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void say(const char *msg) {
  int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) fd = dup(2);
  if (fd >= 0) {
    dprintf(fd, "spectrum-agent: %s\n", msg);
    close(fd);
  }
}

/* ---- output to the host ---- */

static int write_all(int fd, const void *p, size_t n) {
  const unsigned char *b = p;
  while (n) {
    ssize_t w = write(fd, b, n);
    if (w > 0) {
      b += w;
      n -= (size_t)w;
    } else if (w < 0 && errno == EAGAIN) {
      struct pollfd pf = {fd, POLLOUT, 0};
      if (poll(&pf, 1, 1000) == 0 && !connected && listen_fd < 0) return -1;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else {
      return -1;
    }
  }
  return 0;
}

static void send_frame(char type, const void *p, uint32_t n) {
  unsigned char h[5] = {(unsigned char)type, n >> 24, n >> 16, n >> 8, n};
  if (port < 0) return;
  /* A host that went away loses the output; the session ends at the next read. */
  if (write_all(port, h, 5) == 0 && n) write_all(port, p, n);
}

static void send_text(char type, const char *s) { send_frame(type, s, (uint32_t)strlen(s)); }

static void send_exit(int code) {
  unsigned char b[4] = {(unsigned)code >> 24, (unsigned)code >> 16, (unsigned)code >> 8, (unsigned)code};
  send_frame('X', b, 4);
}

/* ---- the request ---- */

static void clear_request(void) {
  free(nonce);
  nonce = NULL;
  for (int i = 0; i < nwords; i++) free(words[i]);
  for (int i = 0; i < nenvs; i++) free(envs[i]);
  nwords = nenvs = 0;
  free(cwd);
  cwd = NULL;
  want_tty = 0;
  memset(&ws, 0, sizeof ws);
  set_time_ms = -1;
  step_ms = has_step = 0;
  free(seed);
  seed = NULL;
  seed_len = 0;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void end_command(void) {
  close_fd(&in_fd);
  close_fd(&out_fd);
  close_fd(&err_fd);
  free(pending);
  pending = NULL;
  pending_len = pending_off = 0;
  stdin_end_pending = 0;
  exited_at = -1;
  child = -1;
}

/* The host went away (or started over): the running command and its group are killed. */
static void abandon(void) {
  if (child > 0) {
    kill(-child, SIGKILL);
    kill(child, SIGKILL);
    if (exited_at < 0) waitpid(child, NULL, 0);
  }
  end_command();
  clear_request();
}

static char *dup_payload(const unsigned char *p, uint32_t n) {
  char *s = malloc(n + 1);
  if (!s) return NULL;
  memcpy(s, p, n);
  s[n] = 0;
  return s;
}

/* Clock and entropy for a VM restored from a snapshot: its clock stopped, its pool is a copy. */
struct entropy { int bits; int size; unsigned char buf[4096]; };
#define RNDADDENTROPY_IOCTL 0x40085203
#define RNDRESEEDCRNG_IOCTL 0x5207

static const char *apply_controls(void) {
  if (set_time_ms >= 0) {
    struct timespec t = {set_time_ms / 1000, (set_time_ms % 1000) * 1000000};
    if (clock_settime(CLOCK_REALTIME, &t) != 0) return "cannot set the clock";
  }
  if (has_step) {
    /* Stepped here, not sent as a wall time: the transport's latency adds no error. */
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    int64_t ns = (int64_t)t.tv_sec * 1000000000 + t.tv_nsec + step_ms * 1000000;
    t.tv_sec = ns / 1000000000;
    t.tv_nsec = ns % 1000000000;
    if (t.tv_nsec < 0) {
      t.tv_nsec += 1000000000;
      t.tv_sec--;
    }
    if (clock_settime(CLOCK_REALTIME, &t) != 0) return "cannot step the clock";
  }
  if (seed_len) {
    struct entropy e;
    int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return "cannot open /dev/urandom";
    e.bits = (int)seed_len * 8;
    e.size = (int)seed_len;
    memcpy(e.buf, seed, seed_len);
    int r = ioctl(fd, RNDADDENTROPY_IOCTL, &e);
    /* A ready crng reseeds from the pool only on a timer: make it take the new bytes now
     * (Linux 4.17+; older kernels just keep them in the pool). */
    if (r == 0) ioctl(fd, RNDRESEEDCRNG_IOCTL);
    close(fd);
    if (r != 0) return "cannot add entropy to the kernel's pool";
  }
  return NULL;
}

static void child_fail(const char *what, const char *arg, int code) {
  dprintf(2, "spectrum-agent: %s %s: %s\n", what, arg, strerror(errno));
  _exit(code);
}

static void start_command(void) {
  int inp[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1};
  int master = -1, slave = -1;
  if (want_tty) {
    if (openpty(&master, &slave, NULL, NULL, ws.ws_row ? &ws : NULL) != 0) goto fail;
  } else if (pipe2(inp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
    goto fail;
  }
  words[nwords] = NULL;
  /* Commands get the env they ask for, on top of a PATH and HOME like /init's own. */
  int has_path = 0, has_home = 0;
  for (int i = 0; i < nenvs; i++) {
    if (strncmp(envs[i], "PATH=", 5) == 0) has_path = 1;
    if (strncmp(envs[i], "HOME=", 5) == 0) has_home = 1;
  }
  if (!has_path) envs[nenvs++] = strdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  if (!has_home) envs[nenvs++] = strdup("HOME=/root");
  envs[nenvs] = NULL;
  child = fork();
  if (child < 0) goto fail;
  if (child == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    setsid();
    if (want_tty) {
      ioctl(slave, TIOCSCTTY, 0);
      dup2(slave, 0);
      dup2(slave, 1);
      dup2(slave, 2);
      if (slave > 2) close(slave);
      close(master);
    } else {
      dup2(inp[0], 0);
      dup2(outp[1], 1);
      dup2(errp[1], 2);
    }
    if (root && (chroot(root) != 0 || chdir("/") != 0)) child_fail("cannot enter", root, 126);
    if (chdir(cwd ? cwd : "/") != 0) child_fail("no such working directory", cwd ? cwd : "/", 126);
    environ = envs;
    execvp(words[0], words);
    child_fail("cannot run", words[0], errno == ENOENT ? 127 : 126);
  }
  if (want_tty) {
    close(slave);
    fcntl(master, F_SETFD, FD_CLOEXEC);
    fcntl(master, F_SETFL, O_NONBLOCK);
    out_fd = master;
    in_fd = dup(master);
    fcntl(in_fd, F_SETFD, FD_CLOEXEC);
  } else {
    close(inp[0]);
    close(outp[1]);
    close(errp[1]);
    in_fd = inp[1];
    out_fd = outp[0];
    err_fd = errp[0];
    /* Larger pipes: fewer wake-ups per MB, which is what a copy costs under TCG. */
    fcntl(in_fd, F_SETPIPE_SZ, 1 << 20);
    fcntl(out_fd, F_SETPIPE_SZ, 1 << 20);
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
    fcntl(out_fd, F_SETFL, O_NONBLOCK);
    fcntl(err_fd, F_SETFL, O_NONBLOCK);
  }
  return;
fail:
  send_text('!', "spectrum-agent: cannot start the command (out of memory or file descriptors)");
  send_exit(126);
  for (int i = 0; i < 2; i++) {
    if (inp[i] >= 0) close(inp[i]);
    if (outp[i] >= 0) close(outp[i]);
    if (errp[i] >= 0) close(errp[i]);
  }
  if (master >= 0) close(master);
  if (slave >= 0) close(slave);
  child = -1;
  clear_request();
}

static void go(void) {
  send_frame('R', nonce, (uint32_t)strlen(nonce));
  const char *err = apply_controls();
  if (err) {
    send_text('!', err);
    send_exit(1);
    clear_request();
    return;
  }
  if (nwords == 0) { /* a control request only */
    send_exit(0);
    clear_request();
    return;
  }
  start_command();
}

/* Feeds what the command's stdin can take now; the rest waits in `pending`. */
static void feed_stdin(void) {
  while (pending && pending_off < pending_len) {
    ssize_t w = write(in_fd, pending + pending_off, pending_len - pending_off);
    if (w > 0) pending_off += (size_t)w;
    else if (w < 0 && errno == EINTR) continue;
    else if (w < 0 && errno == EAGAIN) return;
    else { pending_off = pending_len; break; } /* the command closed its stdin: drop the rest */
  }
  free(pending);
  pending = NULL;
  pending_len = pending_off = 0;
  if (stdin_end_pending) {
    stdin_end_pending = 0;
    /* A terminal has no end of input to pass on; pipes are closed so the command sees EOF. */
    if (!want_tty) close_fd(&in_fd);
  }
}

static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* One frame from the host. Returns -1 when the stream is broken (resync). */
static int handle_frame(char type, const unsigned char *p, uint32_t n) {
  int running = child > 0;
  switch (type) {
  case 'H':
    abandon();
    return 0;
  case 'N':
    if (running || n < 8 || n > 64) return -1;
    clear_request();
    nonce = dup_payload(p, n);
    return nonce ? 0 : -1;
  case 'A':
  case 'E':
  case 'C':
  case 'T':
  case 'S':
  case 'D':
  case 'Y':
  case 'G':
    if (running || !nonce) return -1;
    if (type == 'A') {
      if (nwords >= MAX_WORDS || memchr(p, 0, n)) return -1;
      return (words[nwords++] = dup_payload(p, n)) ? 0 : -1;
    }
    if (type == 'E') {
      if (nenvs >= MAX_WORDS || memchr(p, 0, n) || !memchr(p, '=', n)) return -1;
      return (envs[nenvs++] = dup_payload(p, n)) ? 0 : -1;
    }
    if (type == 'C') {
      if (memchr(p, 0, n)) return -1;
      free(cwd);
      return (cwd = dup_payload(p, n)) ? 0 : -1;
    }
    if (type == 'T') {
      if (n != 4) return -1;
      want_tty = 1;
      ws.ws_row = be16(p);
      ws.ws_col = be16(p + 2);
      return 0;
    }
    if (type == 'S') {
      if (n != 8) return -1;
      uint64_t v = 0;
      for (int i = 0; i < 8; i++) v = v << 8 | p[i];
      if (v > (uint64_t)INT64_MAX / 2) return -1;
      set_time_ms = (int64_t)v;
      return 0;
    }
    if (type == 'D') {
      if (n != 8) return -1;
      uint64_t v = 0;
      for (int i = 0; i < 8; i++) v = v << 8 | p[i];
      step_ms = (int64_t)v;
      if (step_ms > INT64_MAX / 2000000 || step_ms < -(INT64_MAX / 2000000)) return -1;
      has_step = 1;
      return 0;
    }
    if (type == 'Y') {
      if (n == 0 || n > 4096) return -1;
      free(seed);
      seed = malloc(n);
      if (!seed) return -1;
      memcpy(seed, p, n);
      seed_len = n;
      return 0;
    }
    go();
    return 0;
  case 'I':
    if (!running || in_fd < 0 || exited_at >= 0) return 0; /* late stdin for a finished command */
    pending = malloc(n ? n : 1);
    if (!pending) return -1;
    memcpy(pending, p, n);
    pending_len = n;
    pending_off = 0;
    feed_stdin();
    return 0;
  case 'Z':
    if (!running || in_fd < 0) return 0;
    stdin_end_pending = 1;
    if (!pending) feed_stdin();
    return 0;
  case 'W':
    if (n != 4) return -1;
    if (running && want_tty && out_fd >= 0) {
      struct winsize w = {be16(p), be16(p + 2), 0, 0};
      ioctl(out_fd, TIOCSWINSZ, &w); /* the kernel signals SIGWINCH to the terminal's group */
    }
    return 0;
  case 'K':
    if (running && exited_at < 0) kill(-child, SIGKILL);
    return 0;
  default:
    return -1;
  }
}

static const unsigned char *find_hello(const unsigned char *b, size_t n) {
  static unsigned char hello[5 + sizeof HELLO_TEXT - 1] = {'H', 0, 0, 0, sizeof HELLO_TEXT - 1};
  memcpy(hello + 5, HELLO_TEXT, sizeof HELLO_TEXT - 1);
  return memmem(b, n, hello, sizeof hello);
}

/* Handles the complete frames in inbuf; keeps a partial one, and stops while stdin is held up. */
static void process_input(void) {
  size_t off = 0;
  for (;;) {
    if (pending) break;
    if (!synced) {
      const unsigned char *h = find_hello(inbuf + off, in_len - off);
      if (!h) {
        /* Keep a tail that may be the start of a HELLO split across reads. */
        size_t keep = in_len - off < 20 ? in_len - off : 20;
        off = in_len - keep;
        break;
      }
      off = (size_t)(h - inbuf);
      synced = 1;
    }
    if (in_len - off < 5) break;
    uint32_t n = (uint32_t)inbuf[off + 1] << 24 | (uint32_t)inbuf[off + 2] << 16 | (uint32_t)inbuf[off + 3] << 8 | inbuf[off + 4];
    if (n > MAX_PAYLOAD) {
      synced = 0;
      off++;
      continue;
    }
    if (in_len - off < 5 + n) break;
    char type = (char)inbuf[off];
    if (handle_frame(type, inbuf + off + 5, n) != 0) {
      /* A broken or out-of-order stream: drop the request and wait for the next HELLO. */
      if (!(child > 0)) clear_request();
      synced = 0;
      off++;
      continue;
    }
    off += 5 + n;
  }
  memmove(inbuf, inbuf + off, in_len - off);
  in_len -= off;
}

/* ---- the host connection ---- */

static void host_gone(void) {
  abandon();
  synced = 0;
  in_len = 0;
  if (listen_fd >= 0) {
    close_fd(&port);
  } else {
    connected = 0;
  }
}

static void read_port(void) {
  for (;;) {
    if (in_len == sizeof inbuf) return; /* full: wait until frames are handled */
    ssize_t r = read(port, inbuf + in_len, sizeof inbuf - in_len);
    if (r > 0) {
      in_len += (size_t)r;
      process_input();
      continue;
    }
    if (r == 0) host_gone();
    else if (errno == EINTR) continue;
    else if (errno != EAGAIN) host_gone();
    return;
  }
}

static int open_virtio_port(void) {
  for (int tries = 0; tries < 200; tries++) {
    DIR *d = opendir("/sys/class/virtio-ports");
    struct dirent *e;
    while (d && (e = readdir(d))) {
      char p[512], name[64] = {0};
      if (e->d_name[0] == '.') continue;
      snprintf(p, sizeof p, "/sys/class/virtio-ports/%s/name", e->d_name);
      int fd = open(p, O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      ssize_t n = read(fd, name, sizeof name - 1);
      close(fd);
      if (n > 0 && name[n - 1] == '\n') name[n - 1] = 0;
      if (strcmp(name, PORT_NAME) == 0) {
        snprintf(p, sizeof p, "/dev/%s", e->d_name);
        closedir(d);
        fd = open(p, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0) {
          /* SIGIO when the host's side connects or goes away. */
          fcntl(fd, F_SETOWN, getpid());
          fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK | O_ASYNC);
          return fd;
        }
        d = NULL;
        break;
      }
    }
    if (d) closedir(d);
    usleep(50000);
  }
  return -1;
}

static int open_listener(const char *path) {
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof a.sun_path) return -1;
  strcpy(a.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  unlink(path);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 4)) return -1;
  return fd;
}

/* ---- the command's side ---- */

static void pump(int *fd, char type) {
  unsigned char b[OUT_CHUNK];
  for (int i = 0; i < 16; i++) { /* a bounded burst, so the host's input is read meanwhile */
    ssize_t r = read(*fd, b, sizeof b);
    if (r > 0) {
      send_frame(type, b, (uint32_t)r);
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) return;
    /* End of output (a pty's master reads EIO once the terminal's last user closed it). */
    if (*fd == out_fd && in_fd >= 0 && want_tty) close_fd(&in_fd);
    close_fd(fd);
    return;
  }
}

static void reap(void) {
  int st;
  if (child > 0 && exited_at < 0 && waitpid(child, &st, WNOHANG) == child) {
    child_status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
    exited_at = now_ms();
  }
}

static void maybe_finish(void) {
  if (child <= 0 || exited_at < 0) return;
  /* Done when the output ended, or a background process still holds it after the grace time. */
  if ((out_fd >= 0 || err_fd >= 0) && now_ms() - exited_at < DRAIN_MS) return;
  send_exit(child_status);
  end_command();
  clear_request();
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) root = argv[++i];
    else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) listen_fd = open_listener(argv[++i]);
    else {
      dprintf(2, "usage: spectrum-agent [--root DIR] [--listen SOCKET]\n");
      return 2;
    }
  }
  if (argc > 2 && strcmp(argv[argc - 2], "--listen") == 0 && listen_fd < 0) {
    perror("spectrum-agent: --listen");
    return 1;
  }
  if (root && !*root) root = NULL;
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGIO);
  sigprocmask(SIG_BLOCK, &set, NULL);
  sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (listen_fd < 0) {
    port = open_virtio_port();
    if (port < 0) {
      say("no virtio port named " PORT_NAME);
      return 1;
    }
    connected = 1; /* until a read says otherwise */
  }
  for (;;) {
    struct pollfd pf[5];
    int n = 0, i_port = -1, i_out = -1, i_err = -1, i_in = -1;
    pf[n++] = (struct pollfd){sig_fd, POLLIN, 0};
    if (listen_fd >= 0 && port < 0) {
      i_port = n;
      pf[n++] = (struct pollfd){listen_fd, POLLIN, 0};
    } else if (port >= 0 && connected && in_len < sizeof inbuf) {
      /* Read on while the command's stdin is full: the port's 4 KiB reads keep pace meanwhile. */
      i_port = n;
      pf[n++] = (struct pollfd){port, POLLIN, 0};
    }
    if (out_fd >= 0) { i_out = n; pf[n++] = (struct pollfd){out_fd, POLLIN, 0}; }
    if (err_fd >= 0) { i_err = n; pf[n++] = (struct pollfd){err_fd, POLLIN, 0}; }
    if (pending && in_fd >= 0) { i_in = n; pf[n++] = (struct pollfd){in_fd, POLLOUT, 0}; }
    /* Disconnected port: SIGIO says when a host connects; the timeout is a safety net. */
    int timeout = exited_at >= 0 ? 50 : (listen_fd < 0 && !connected) ? 200 : -1;
    int r = poll(pf, (nfds_t)n, timeout);
    if (r < 0 && errno != EINTR) return 1;
    if (pf[0].revents) {
      struct signalfd_siginfo si;
      while (read(sig_fd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGIO) connected = 1;
      }
      reap();
    }
    if (listen_fd < 0 && !connected && r == 0) connected = 1; /* try a read again */
    if (i_out >= 0 && pf[i_out].revents) pump(&out_fd, 'O');
    if (i_err >= 0 && pf[i_err].revents) pump(&err_fd, 'F');
    if (i_in >= 0 && pf[i_in].revents) {
      if (pf[i_in].revents & (POLLERR | POLLHUP)) pending_off = pending_len;
      feed_stdin();
      process_input();
    }
    if (listen_fd >= 0 && port < 0 && i_port >= 0 && pf[i_port].revents) {
      port = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
      connected = port >= 0;
    } else if (port >= 0 && connected && in_len < sizeof inbuf && (i_port < 0 || pf[i_port].revents)) {
      /* i_port < 0 here: a SIGIO or the timeout just marked the port connected; read to see. */
      read_port();
    }
    reap();
    maybe_finish();
  }
}
