package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.traceLines;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * Number literals where the kernel takes a number — fds, GEM handles, VM and exec-queue IDs —
 * reach the same lookups as bound names: a number that names nothing gets the errno of an
 * unknown ID, one that names an object is that object, and a bound number too large for the
 * kernel's field names nothing rather than being truncated to one that does.
 */
class InterpreterLiteralIdsTest {

    @Test
    void gemClose_madeUpHandle_isEinval() {
        // IGT gem_close@bad-close: handle 0x10101010 was never created, EINVAL
        // (drm_gem_handle_delete: idr_replace finds nothing).
        Violation v = firstViolation("""
                scenario "gem_close of a made-up handle"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  ioctl fd gem_close 0x10101010                    => EINVAL
                  ioctl fd gem_close 0                             => EINVAL
                  ioctl fd gem_close 0xFFFFFFFF                    => EINVAL
                """);

        assertThat(v).isNull();
    }

    @Test
    void gemClose_literalOfTheHandleCreated_closesIt() {
        // Handles are the lowest free ID from 1 (idr_alloc(.., 1, 0)), so the first object is 1.
        Violation v = firstViolation("""
                scenario "gem_close 1"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  expect bo == 1
                  ioctl fd gem_close 1
                  ioctl fd gem_close bo                            => EINVAL
                """);

        assertThat(v).isNull();
    }

    @Test
    void ioctlAndClose_fdNotOpen_isEbadf() {
        // fdget in ioctl(2), close_fd in close(2), fget in ksys_mmap_pgoff: -EBADF.
        Violation v = firstViolation("""
                scenario "fds that are not open"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  vm = ioctl 7 vm_create                           => EBADF
                  close 99                                         => EBADF
                  p = mmap 3 4K                                    => EBADF
                  fd = open gpu0
                  expect fd == 0
                  vm2 = ioctl 0 vm_create
                  close 0
                  ioctl fd vm_destroy vm2                          => EBADF
                """);

        assertThat(v).isNull();
    }

    @Test
    void negativeFd_everyLookup_isEbadf() {
        // IGT passes -1 as an fd that is never open (close(-1)): close(2) takes an unsigned int
        // that close_fd finds beyond max_fds, ioctl(2)'s fdget and mmap(2)'s fget refuse it the
        // same way, and so do SCM_RIGHTS and PRIME's dma_buf_get: EBADF.
        Violation v = firstViolation("""
                scenario "negative fds"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  close -1                                         => EBADF
                  vm = ioctl -1 vm_create                          => EBADF
                  p = mmap -1 4K                                   => EBADF
                  send -2147483648 to B as x                       => EBADF
                  fd = open gpu0
                  h = ioctl fd prime_fd_to_handle -1               => EBADF
                  expect fd == 0
                  close -0
                  vm2 = ioctl fd vm_create                         => EBADF
                """);

        assertThat(v).isNull();
    }

    @Test
    void xeIds_madeUp_getTheErrnoOfAnUnknownId() {
        // xe_vm_destroy_ioctl ENOENT; xe_exec_queue_create_ioctl (VM lookup) ENOENT; xe_exec_ioctl
        // (queue lookup) ENOENT; xe_vm_bind_ioctl (VM lookup) EINVAL, (object lookup) ENOENT;
        // xe_gem_mmap_offset_ioctl ENOENT; drm_prime_handle_to_fd_ioctl ENOENT.
        Violation v = firstViolation("""
                scenario "made-up xe IDs"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  ioctl fd vm_destroy 5                            => ENOENT
                  q = ioctl fd exec_queue_create vm=9              => ENOENT
                  f = ioctl fd exec queue=9 fill dst=0x100000 size=4K byte=1 => ENOENT
                  ioctl fd vm_bind 9 unmap va=0x100000 size=4K     => EINVAL
                  ioctl fd vm_bind vm map bo=9 va=0x100000 size=4K => ENOENT
                  off = ioctl fd gem_mmap_offset 9                 => ENOENT
                  db = ioctl fd prime_handle_to_fd 9               => ENOENT
                  h = ioctl fd prime_fd_to_handle 99               => EBADF
                """);

        assertThat(v).isNull();
    }

    @Test
    void literalIds_nameTheObjectsTheyNumber() {
        Violation v = firstViolation("""
                scenario "literal IDs of live objects"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  vm = ioctl fd vm_create
                  bo = ioctl fd gem_create 4K
                  ioctl 0 vm_bind 1 map bo=1 va=0x100000 size=4K
                  q = ioctl fd exec_queue_create vm=1
                  f = ioctl 0 exec queue=1 fill dst=0x100000 size=4K byte=7
                  wait f
                  expect f == ok
                  off = ioctl fd gem_mmap_offset 1
                  p = mmap 0 4K offset=off
                  expect read p 2 == "\\x07\\x07"
                """);

        assertThat(v).isNull();
    }

    @Test
    void close_boundNumberBeyondAnInt_isEbadfNotATruncatedFd() {
        // p is 4G: truncated to an int it would be fd 0, the DRM file, and close it.
        RunResult r = run("""
                scenario "close of a number too large for an fd"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  p = mmap 4K at=0x100000000
                  close p                                          => EBADF
                  p2 = mmap p 4K                                   => EBADF
                  ioctl fd vm_destroy p                            => ENOENT
                  vm = ioctl fd vm_create
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(r.trace().render()).contains("A.main: vm_create -> 1");
    }

    @Test
    void trace_idThatNamesNothing_showsTheNumberTheStatementGave() {
        // o is the object's fake mmap offset, 4G in the model: no ID table holds it, and the
        // trace says which number gem_close got, not a stand-in.
        RunResult r = run("""
                scenario "gem_close of an offset"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  o = ioctl fd gem_mmap_offset bo
                  ioctl fd gem_close o                             => EINVAL
                  ioctl fd gem_close 0xFFFFFFFF                    => EINVAL
                  vm = ioctl fd vm_create
                  ioctl fd vm_bind vm map bo=o va=0x100000 size=4K => ENOENT
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: gem_mmap_offset 1 -> 0x100000000",
                "A.main: gem_close 4294967296 -> EINVAL", "A.main: gem_close 4294967295 -> EINVAL",
                "A.main: vm_bind map bo=4294967296 va=0x100000 size=4K -> ENOENT");
        assertThat(traceLines(r)).noneMatch(line -> line.contains("-1"));
    }

    @Test
    void trace_ioctlOnAnFdThatIsNoDrmFile_showsTheStatementAndItsErrno() {
        // ioctl(2) fails in fdget (EBADF) or in vfs_ioctl (ENOTTY) before the device sees it:
        // the statement is traced as written, with its errno.
        RunResult r = run("""
                scenario "ioctl on fds that are no DRM file"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  w = ioctl 99 vm_create                           => EBADF
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo
                  ioctl db gem_close bo                            => ENOTTY
                  f = ioctl 98 exec queue=1 fill dst=0 size=4K byte=1 => EBADF
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: w = ioctl 99 vm_create -> EBADF",
                "A.main: ioctl db gem_close bo -> ENOTTY",
                "A.main: f = ioctl 98 exec queue=1 fill dst=0 size=4K byte=1 -> EBADF");
    }
}
