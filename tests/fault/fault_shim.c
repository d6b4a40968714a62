// LD_PRELOAD shim that simulates a full (or failing) disk for files under one directory.
//
//   FIELDLAB_FAULT_DIR=/abs/dir     only files whose path starts with this are affected
//   FIELDLAB_FAULT_AFTER=N          bytes that may still be written there (all files together)
//   FIELDLAB_FAULT_ERRNO=ENOSPC     or EIO / EDQUOT: the error the failing calls report
//
// write/pwrite/pwrite64/writev/pwritev and fsync/fdatasync/fallocate/posix_fallocate on such files
// succeed until N bytes have been written; the write that crosses N is cut short at N (as a
// filling disk does) and every later one, and every sync after that, fails with the chosen errno.
// Writes that glibc makes internally (stdio buffers) bypass the shim; fieldlab's writers use
// these calls directly, which is what the fault-injection test relies on.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long budget = -1;  // bytes left; -1 until configured
static int fault_errno = ENOSPC;
static const char* fault_dir = NULL;
static size_t fault_dir_length = 0;
static int configured = 0;

static void configure(void) {
  if (configured) return;
  configured = 1;
  fault_dir = getenv("FIELDLAB_FAULT_DIR");
  if (fault_dir) fault_dir_length = strlen(fault_dir);
  const char* after = getenv("FIELDLAB_FAULT_AFTER");
  budget = after ? atoll(after) : 0;
  const char* name = getenv("FIELDLAB_FAULT_ERRNO");
  if (name && strcmp(name, "EIO") == 0) fault_errno = EIO;
  if (name && strcmp(name, "EDQUOT") == 0) fault_errno = EDQUOT;
}

// Whether fd is a file under the fault directory.
static int affected(int fd) {
  configure();
  if (!fault_dir || fault_dir_length == 0) return 0;
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return 0;
  target[n] = '\0';
  return strncmp(target, fault_dir, fault_dir_length) == 0;
}

// How many of `count` bytes may be written now; 0 with errno set when none.
static size_t allowance(size_t count) {
  if (budget <= 0) {
    errno = fault_errno;
    return 0;
  }
  if ((long long)count > budget) count = (size_t)budget;
  budget -= (long long)count;
  return count;
}

// The next definition of `name` (libc's), looked up once.
#define REAL(name)                             \
  static __typeof__(&name) real_##name = NULL; \
  if (!real_##name) real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void* buffer, size_t count) {
  REAL(write);
  if (count == 0 || !affected(fd)) return real_write(fd, buffer, count);
  const size_t allowed = allowance(count);
  if (allowed == 0) return -1;
  return real_write(fd, buffer, allowed);
}

ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset) {
  REAL(pwrite);
  if (count == 0 || !affected(fd)) return real_pwrite(fd, buffer, count, offset);
  const size_t allowed = allowance(count);
  if (allowed == 0) return -1;
  return real_pwrite(fd, buffer, allowed, offset);
}

ssize_t pwrite64(int fd, const void* buffer, size_t count, off64_t offset) {
  REAL(pwrite64);
  if (count == 0 || !affected(fd)) return real_pwrite64(fd, buffer, count, offset);
  const size_t allowed = allowance(count);
  if (allowed == 0) return -1;
  return real_pwrite64(fd, buffer, allowed, offset);
}

static size_t iov_total(const struct iovec* iov, int n) {
  size_t total = 0;
  for (int i = 0; i < n; ++i) total += iov[i].iov_len;
  return total;
}

// Spends `total` bytes of the budget, or (when they do not fit) empties it and sets errno: a
// vectored write that crosses the budget fails whole.
static int take_whole(size_t total) {
  if ((long long)total > budget) {
    budget = 0;
    errno = fault_errno;
    return 0;
  }
  budget -= (long long)total;
  return 1;
}

// A vectored write that crosses the budget fails whole: simpler than cutting the vector short, and
// callers must handle both.
ssize_t writev(int fd, const struct iovec* iov, int n) {
  REAL(writev);
  if (!affected(fd)) return real_writev(fd, iov, n);
  const size_t total = iov_total(iov, n);
  if (!take_whole(total)) return -1;
  return real_writev(fd, iov, n);
}

ssize_t pwritev(int fd, const struct iovec* iov, int n, off_t offset) {
  REAL(pwritev);
  if (!affected(fd)) return real_pwritev(fd, iov, n, offset);
  const size_t total = iov_total(iov, n);
  if (!take_whole(total)) return -1;
  return real_pwritev(fd, iov, n, offset);
}

static int exhausted(int fd) {
  if (!affected(fd) || budget > 0) return 0;
  errno = fault_errno;
  return 1;
}

int fsync(int fd) {
  REAL(fsync);
  return exhausted(fd) ? -1 : real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync);
  return exhausted(fd) ? -1 : real_fdatasync(fd);
}

int fallocate(int fd, int mode, off_t offset, off_t length) {
  REAL(fallocate);
  return exhausted(fd) ? -1 : real_fallocate(fd, mode, offset, length);
}

int posix_fallocate(int fd, off_t offset, off_t length) {
  REAL(posix_fallocate);
  if (!affected(fd) || budget > 0) return real_posix_fallocate(fd, offset, length);
  return fault_errno;  // posix_fallocate returns the error instead of setting errno
}
