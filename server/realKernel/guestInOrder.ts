import { staticGuestTool } from "./staticGuestTool.ts";

/**
 * How long the tool must stay asleep in the kernel before the next command may start: an init that
 * waits for good (the published server's accept) would otherwise hold every later insmod, while the
 * short sleeps a load has on its way (kthread_run waiting for kthreadd, a lock) last well under it.
 * Guest time: it does not run while the debugger holds the VM.
 */
export const BLOCKED_AFTER_MS = 20;

/**
 * The guest's order keeper for insmod and rmmod. The init runs them in the background (the published
 * server's insmod never returns before a client connects), and the learner may press Start server
 * and Start client 200 ms apart. With every run traced, the server's load stops at each breakpoint,
 * and a client started beside it could connect before the server listened: -111, on a pair a real
 * machine runs in the order typed. So each module command waits for the one sent before it to have
 * returned, or to be asleep in the kernel (its init waits, as in accept) for BLOCKED_AFTER_MS:
 *
 *   lab-in-order <gate of the command before, or -> <this command's gate> <tool> [args…]
 *
 * It waits for the earlier gate file to exist, runs the tool, and creates its own gate when the tool
 * has exited or sleeps (state S or D in /proc/<pid>/stat). It exits as the tool did (128 + the signal
 * for a tool killed, as a shell reports it), and passes the tool's output through.
 */
export const GUEST_IN_ORDER_C = `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS 2000000L
#define BLOCKED_NS (${BLOCKED_AFTER_MS}LL * 1000000LL)

static void nap(void) {
  struct timespec t = {0, POLL_NS};
  nanosleep(&t, NULL);
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The task's state letter (R, S, D, Z…), or 0 once it is gone. */
static char state_of(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *end = strrchr(buf, ')');
  return end && end[1] == ' ' ? end[2] : 0;
}

static void open_gate(const char *gate) {
  int fd = open(gate, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) close(fd);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "lab-in-order: usage: lab-in-order <after> <gate> <tool> [args...]\\n");
    return 22;
  }
  const char *after = argv[1], *gate = argv[2];
  if (strcmp(after, "-") != 0)
    while (access(after, F_OK) != 0) nap();
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    open_gate(gate);
    fprintf(stderr, "lab-in-order: fork: %s\\n", strerror(err));
    return err;
  }
  if (pid == 0) {
    execv(argv[3], argv + 3);
    fprintf(stderr, "%s: %s\\n", argv[3], strerror(errno));
    _exit(127);
  }
  int status = 0, opened = 0;
  long long asleep = -1;
  for (;;) {
    pid_t done = waitpid(pid, &status, opened ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0) {
      if (errno == EINTR) continue;
      status = 127 << 8;
      break;
    }
    if (opened) continue;
    char state = state_of(pid);
    if (state == 'S' || state == 'D') {
      if (asleep < 0) asleep = now_ns();
      else if (now_ns() - asleep >= BLOCKED_NS) {
        open_gate(gate);
        opened = 1;
        continue;
      }
    } else {
      asleep = -1;
    }
    nap();
  }
  if (!opened) open_gate(gate);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
`;

/** The path of the order keeper, in the guest. */
export const GUEST_IN_ORDER_PATH = "/bin/lab-in-order";

/** Where the keeper's gate files live in the guest (the initramfs root is writable). */
export const GUEST_GATES_DIR = "/run/lab-order";

export function guestInOrder(): Promise<string> {
  return staticGuestTool("lab-in-order", GUEST_IN_ORDER_C);
}
