package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * {@code send FD to PROC as NAME} / {@code recv NAME}: an open file passed between processes
 * (SCM_RIGHTS), usable by the receiver and released whatever becomes of the message.
 */
class InterpreterFilesTest {

    @Test
    void sendRecv_drmFd_receiverCreatesAndUsesObjectsThroughIt() {
        Violation v = firstViolation("""
                scenario "a DRM fd works in the process it was passed to"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  send fd to B as g
                  close fd

                thread B.main:
                  recv g
                  vm  = ioctl g vm_create
                  bo  = ioctl g gem_create 4K
                  ioctl g vm_bind vm map bo=bo va=0x100000 size=4K
                  q   = ioctl g exec_queue_create vm=vm
                  f   = ioctl g exec queue=q fill dst=0x100000 size=4K byte=0x5a
                  wait f
                  expect f == ok
                  off = ioctl g gem_mmap_offset bo
                  m   = mmap g 4K offset=off
                  expect read m 4K == 0x5a*4K
                """);

        assertThat(v).isNull();
    }

    @Test
    void sendRecv_sameDrmFile_objectsOfSenderVisibleToReceiver() {
        // One DRM file, two processes: a handle A created names the same object in B's fd.
        Violation v = firstViolation("""
                scenario "the file is shared, not copied"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  send fd to B as g
                  await B.exit

                thread B.main:
                  recv g
                  ioctl g gem_close A.bo
                  ioctl g gem_close A.bo                           => ENOENT|EINVAL
                """);

        assertThat(v).isNull();
    }

    @Test
    void recv_installsFileUnderReceiversOwnFdNumber() {
        RunResult r = run("""
                scenario "receiver's own fd"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  send fd to B as g

                thread B.main:
                  mine = open gpu0
                  recv g
                  expect mine == 0
                  expect g == 1
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(r.trace().render()).contains("A.main: open gpu0 -> 0");
    }

    @Test
    void recv_waitsForTheFileToArrive() {
        Violation v = firstViolation("""
                scenario "recv blocks"
                device gpu0 kind=gpu
                process A
                process B

                thread B.main:
                  recv g
                  vm = ioctl g vm_create

                thread A.main:
                  p  = mmap 4K
                  fd = open gpu0
                  send fd to B as g
                """);

        assertThat(v).isNull();
    }

    @Test
    void send_toProcessThatExited_fileReleased() {
        Violation v = firstViolation("""
                scenario "send to an exited process"
                device gpu0 kind=gpu
                process A
                process B

                thread B.main:
                  p = mmap 4K

                thread A.main:
                  await B.exit
                  fd = open gpu0
                  send fd to B as g
                  close fd
                """);

        assertThat(v).isNull();
    }

    @Test
    void send_neverReceived_fileReleasedWhenReceiverExits() {
        Violation v = firstViolation("""
                scenario "message never received"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  send fd to B as g
                  close fd

                thread B.main:
                  p = mmap 4K
                """);

        assertThat(v).isNull();
    }

    @Test
    void send_closedFd_ebadf() {
        Violation v = firstViolation("""
                scenario "send a closed fd"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  close fd
                  send fd to B as g                                => EBADF
                """);

        assertThat(v).isNull();
    }

    @Test
    void send_twiceUnderSameNameBeforeRecv_noFileLeaks() {
        Violation v = firstViolation("""
                scenario "two messages, one name"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  a = open gpu0
                  b = open gpu0
                  send a to B as g
                  send b to B as g
                  close a
                  close b
                  signal sent

                thread B.main:
                  await sent
                  recv g
                """);

        assertThat(v).isNull();
    }
}
