import os from "node:os";
import util from "node:util";

const EFAULT = 14;

/** The errno of a Node error (its `code`, e.g. ECONNREFUSED → 111), as a kernel call would return it: negated. */
export function negativeErrno(err: unknown): { result: number; name: string } {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const n = code ? (os.constants.errno as Record<string, number>)[code] : undefined;
  // A failure with no errno is a bug in the module itself (a NULL socket): the kernel would fault.
  return n === undefined ? { result: -EFAULT, name: "EFAULT" } : { result: -n, name: code as string };
}

export function errnoName(negErrno: number): string {
  return util.getSystemErrorMap().get(negErrno)?.[0] ?? `E${-negErrno}`;
}

/**
 * glibc's strerror(3) texts, which insmod and rmmod print; libuv's own messages differ for some
 * (EEXIST is "file already exists" there), so the ones the lab can meet are spelled out.
 */
const GLIBC_MESSAGES: Record<string, string> = {
  EEXIST: "File exists",
  EBUSY: "Device or resource busy",
  EINVAL: "Invalid argument",
  EFAULT: "Bad address",
  ENOMEM: "Cannot allocate memory",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ECONNABORTED: "Software caused connection abort",
  ETIMEDOUT: "Connection timed out",
  ENOTCONN: "Transport endpoint is not connected",
  EPIPE: "Broken pipe",
  EPERM: "Operation not permitted",
  EACCES: "Permission denied",
  ENFILE: "Too many open files in system",
};

export function strerror(negErrno: number): string {
  const entry = util.getSystemErrorMap().get(negErrno);
  if (!entry) return `Unknown error ${-negErrno}`;
  const message = GLIBC_MESSAGES[entry[0]] ?? entry[1];
  return message.charAt(0).toUpperCase() + message.slice(1);
}
