import { staticGuestTool } from "./staticGuestTool.ts";

/**
 * The guest's insmod: what Debian's kmod `insmod` does, in a page of C. kmod opens the .ko and
 * calls finit_module() once; when that fails it reports the error and stops (libkmod's
 * kmod_module_insert_module falls back to init_module() only on ENOSYS, a kernel without
 * finit_module, which 6.1 is not). BusyBox's insmod instead retries with init_module() on *any*
 * finit_module() failure, so a module whose init fails had its init run twice: two "server init"
 * printks for one insmod, which no learner's Debian machine shows.
 *
 * Built here with `gcc -static` (no library in the initramfs beside it) and put in the guest as
 * /bin/insmod-kmod. Its message is kmod's ("insmod: ERROR: could not insert module client.ko:
 * Connection refused", the Node lab's too); its exit status is the errno (kmod exits 1), so the
 * engine still tells init's return value (111 → -111) from a kill by an oops (128 + signal).
 */
export const GUEST_INSMOD_C = `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "insmod: ERROR: usage: insmod <file.ko>\\n");
    return 22;
  }
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    fprintf(stderr, "insmod: ERROR: could not load module %s: %s\\n", argv[1], strerror(err));
    return err;
  }
  /* One call, as kmod makes it: a failing init runs once. */
  if (syscall(SYS_finit_module, fd, "", 0) != 0) {
    int err = errno;
    const char *name = strrchr(argv[1], '/');
    fprintf(stderr, "insmod: ERROR: could not insert module %s: %s\\n", name ? name + 1 : argv[1], strerror(err));
    return err;
  }
  return 0;
}
`;

/** The path of the guest's insmod, in the guest. */
export const GUEST_INSMOD_PATH = "/bin/insmod-kmod";

/** Builds the loader once (cached by its source's hash) and returns the binary's path on the host. */
export function guestInsmod(): Promise<string> {
  return staticGuestTool("insmod", GUEST_INSMOD_C);
}
