package accelmm.accel;

/**
 * Models {@code enum uacce_q_state} (include/linux/uacce.h): a queue is created INIT at open,
 * STARTED by {@code UACCE_CMD_START_Q}, back to INIT by {@code UACCE_CMD_PUT_Q} (the Dec 2025
 * generation, in which PUT_Q only stops the queue), and ZOMBIE once put at the file's release.
 * INIT and STARTED are "valid" ({@code uacce_queue_is_valid}).
 */
public enum UacceQState {
    INIT, STARTED, ZOMBIE;

    /** {@code uacce_queue_is_valid}: every ioctl and mmap of a queue that is not is -ENXIO. */
    boolean isValid() {
        return this != ZOMBIE;
    }
}
