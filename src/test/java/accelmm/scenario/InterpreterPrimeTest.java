package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.traceLines;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/** PRIME statements and mmap of a dma-buf fd: errno outcomes, dedup, lifetime, devices. */
class InterpreterPrimeTest {

    @Test
    void primeStatements_errnoOutcomes_asTheKernelReturnsThem() {
        Violation v = firstViolation("""
                scenario "prime errnos"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 8K
                  db  = ioctl fd prime_handle_to_fd bo
                  ioctl fd prime_fd_to_handle fd              => EINVAL
                  db2 = ioctl fd prime_handle_to_fd bo
                  close db2
                  ioctl fd prime_fd_to_handle db2             => EBADF
                  mmap db 8K prot=rw                          => EACCES
                  mmap db 16K prot=r                          => EINVAL
                  m   = mmap db 8K prot=r
                  ioctl fd gem_close bo
                  ioctl fd prime_handle_to_fd bo              => ENOENT
                  h   = ioctl fd prime_fd_to_handle db
                  h2  = ioctl fd prime_fd_to_handle db
                  expect h2 == h
                """);

        assertThat(v).isNull();
    }

    @Test
    void handleToFd_cloexec_fdClosedByExec() {
        Violation v = firstViolation("""
                scenario "cloexec export"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 4K
                  keep = ioctl fd prime_handle_to_fd bo rdwr
                  gone = ioctl fd prime_handle_to_fd bo cloexec
                  exec
                  m   = mmap keep 4K
                  mmap gone 4K prot=r                         => EBADF
                """);

        assertThat(v).isNull();
    }

    @Test
    void handleToFd_trace_namesTheHandleFlagsAndNewFd() {
        RunResult r = run("""
                scenario "trace"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 4K
                  db  = ioctl fd prime_handle_to_fd bo cloexec rdwr
                  h   = ioctl fd prime_fd_to_handle db
                """, 1);

        assertThat(traceLines(r)).contains("A.main: prime_handle_to_fd 1 cloexec rdwr -> 1",
                "A.main: prime_fd_to_handle 1 -> 1");
    }

    @Test
    void exportedBuffer_sentToAProcessTheSecretDoesNotAllow_secretLeak() {
        Violation v = firstViolation("""
                scenario "dma-buf carries the secret"
                device gpu0 kind=gpu
                process A
                process C

                thread A.main:
                  fd  = open gpu0
                  bo  = ioctl fd gem_create 4K
                  off = ioctl fd gem_mmap_offset bo
                  p   = mmap fd 4K offset=off
                  write p secret "S"
                  db  = ioctl fd prime_handle_to_fd bo
                  send db to C as buf
                  exit

                thread C.main:
                  recv buf
                  m = mmap buf 4K prot=r
                  x = read m 8
                """);

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
    }

    @Test
    void importOnAnotherGpu_p2pYesOrNo_systemObject_gpuCopyReadsTheExportersPages() {
        for (String p2p : new String[] {"yes", "no"}) {
            Violation v = firstViolation("""
                    scenario "cross-device import"
                    device gpu0 kind=gpu p2p=yes
                    device gpu1 kind=gpu p2p=%s
                    process A

                    thread A.main:
                      f0  = open gpu0
                      bo  = ioctl f0 gem_create 4K
                      off = ioctl f0 gem_mmap_offset bo
                      p   = mmap f0 4K offset=off
                      write p 0x5a*4K
                      db  = ioctl f0 prime_handle_to_fd bo
                      ioctl f0 gem_close bo
                      f1  = open gpu1
                      h   = ioctl f1 prime_fd_to_handle db
                      vm  = ioctl f1 vm_create
                      ioctl f1 vm_bind vm map bo=h va=0x100000 size=4K
                      dst = ioctl f1 gem_create 4K
                      ioctl f1 vm_bind vm map bo=dst va=0x200000 size=4K
                      q   = ioctl f1 exec_queue_create vm=vm
                      f   = ioctl f1 exec queue=q copy src=0x100000 dst=0x200000 size=4K
                      wait f
                      expect f == ok
                      doff = ioctl f1 gem_mmap_offset dst
                      d   = mmap f1 4K offset=doff
                      expect read d 4K == 0x5a*4K
                    """.formatted(p2p));

            assertThat(v).as("p2p=%s", p2p).isNull();
        }
    }
}
