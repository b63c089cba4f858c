package accelmm.drm;

/**
 * What a GPU job does, as far as memory is concerned: the model's stand-in for a batch buffer.
 * Every byte is read and written through the VM's GPU page table by the device engine.
 */
public sealed interface JobSpec {

    /** Bytes the job touches at its destination. */
    long sizeBytes();

    /** Copies {@code sizeBytes} from GPU VA {@code srcVa} to GPU VA {@code dstVa} (a blitter copy). */
    record Copy(long srcVa, long dstVa, long sizeBytes) implements JobSpec {
        @Override
        public String toString() {
            return "copy src=" + Fmt.hex(srcVa) + " dst=" + Fmt.hex(dstVa) + " size=" + Fmt.size(sizeBytes);
        }
    }

    /** Fills {@code sizeBytes} at GPU VA {@code dstVa} with {@code value} (a blitter clear). */
    record Fill(long dstVa, long sizeBytes, byte value) implements JobSpec {
        @Override
        public String toString() {
            return "fill dst=" + Fmt.hex(dstVa) + " size=" + Fmt.size(sizeBytes) + " byte=" + Fmt.hex(value & 0xff);
        }
    }
}
