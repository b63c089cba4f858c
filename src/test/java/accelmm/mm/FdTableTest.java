package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.TestFiles.CountingFile;
import org.junit.jupiter.api.Test;

/** File descriptors (fs/file.c): lowest free number, dup, close, fork sharing. Direct mode: nothing blocks. */
class FdTableTest {

    private final MmFixture fx = new MmFixture();
    private final Task p = fx.process("P");

    private File open(CountingFile ops) {
        return fx.kernel.openFile(ops, true, true, null);
    }

    @Test
    void install_afterClose_takesLowestFreeNumber() {
        assertThat(p.files().install(open(new CountingFile()), false)).isZero();
        assertThat(p.files().install(open(new CountingFile()), false)).isEqualTo(1);
        assertThat(p.files().install(open(new CountingFile()), false)).isEqualTo(2);
        assertThat(p.close(1)).isZero();

        assertThat(p.files().install(open(new CountingFile()), false)).isEqualTo(1);
        assertThat(p.files().install(open(new CountingFile()), false)).isEqualTo(3);
    }

    @Test
    void dup_returnsLowestFreeNumberSharingTheFile() {
        File file = open(new CountingFile());
        p.files().install(open(new CountingFile()), false);
        int fd = p.files().install(file, false);
        assertThat(p.close(0)).isZero();

        int dup = p.files().dup(fd);

        assertThat(dup).isZero();
        assertThat(p.files().lookup(dup)).isSameAs(file);
        assertThat(file.refCount()).isEqualTo(2);
    }

    @Test
    void dup_doesNotCopyCloexec() {
        int fd = p.files().install(open(new CountingFile()), true);

        int dup = p.files().dup(fd);

        assertThat(p.files().isCloexec(fd)).isTrue();
        assertThat(p.files().isCloexec(dup)).isFalse();
    }

    @Test
    void dup_badFd_returnsEbadf() {
        assertThat(p.files().dup(3)).isEqualTo(Errno.EBADF.neg());
    }

    @Test
    void close_badFd_returnsEbadf() {
        assertThat(p.close(0)).isEqualTo(Errno.EBADF.neg());
    }

    @Test
    void close_twice_secondReturnsEbadf() {
        int fd = p.files().install(open(new CountingFile()), false);
        assertThat(p.close(fd)).isZero();

        assertThat(p.close(fd)).isEqualTo(Errno.EBADF.neg());
    }

    @Test
    void close_oneOfTwoDuplicates_releasesFileOnlyAtLast() {
        CountingFile ops = new CountingFile();
        int fd = p.files().install(open(ops), false);
        int dup = p.files().dup(fd);

        assertThat(p.close(fd)).isZero();
        assertThat(ops.releases).isZero();
        assertThat(p.close(dup)).isZero();

        assertThat(ops.releases).isEqualTo(1);
        assertThat(fx.kernel.openFiles()).isEmpty();
    }

    @Test
    void fork_childSharesOpenFilesWithSameNumbersAndFlags() {
        File file = open(new CountingFile());
        p.files().install(open(new CountingFile()), false);
        int fd = p.files().install(file, true);

        Task child = p.fork("C");

        assertThat(child.files().openFds()).containsExactly(0, fd);
        assertThat(child.files().lookup(fd)).isSameAs(file);
        assertThat(child.files().isCloexec(fd)).isTrue();
        assertThat(file.refCount()).isEqualTo(2);
    }

    @Test
    void install_pastLimit_returnsEmfile() {
        for (int i = 0; i < FdTable.NR_OPEN_DEFAULT; i++) {
            assertThat(p.files().install(open(new CountingFile()), false)).isEqualTo(i);
        }

        assertThat(p.files().install(open(new CountingFile()), false)).isEqualTo(Errno.EMFILE.neg());
    }
}
