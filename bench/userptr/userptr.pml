/*
 * The userptr bind vs invalidation race of seed 000, as a Promela model written for
 * accelmm's side-by-side benchmark. It follows the same protocol as accelmm's model
 * (mm/mmu_notifier.c sequence numbers, hmm_range_fault, the driver lock):
 *
 *   binder:      seq = read_begin; hmm_range_fault (page still mapped?); lock;
 *                read_retry(seq)? -> unlock, start over; program the GPU PTE; unlock
 *   unmapper:    invalidate_range_start (seq odd); callback: lock, set_seq, zap GPU PTE,
 *                unlock; zap the CPU PTE and free the page; invalidate_range_end (seq even)
 *   device:      once bound, reads through the GPU PTE: the page must not be freed
 *
 * -DRETRY=0 leaves out the read_retry check (the hmm-no-retry design): the GPU PTE can be
 * programmed with a page the unmapper already freed.
 */
#ifndef RETRY
#define RETRY 1
#endif

byte invSeq = 2;      /* the mm's invalidate_seq: even while idle */
byte subSeq = 1;      /* the subscription's invalidate_seq */
bool cpuPresent = 1;  /* the CPU PTE maps the page */
bool freed = 0;       /* the page went back to the allocator */
bool gpuPresent = 0;  /* the GPU PTE maps the page */
bool driverLock = 0;
bool bindDone = 0;

active proctype binder() {
    byte seq;
    bool got;
retry:
    /* mmu_interval_read_begin: sleeps while an invalidation of this range runs */
    atomic { (subSeq != invSeq) -> seq = subSeq }
    /* hmm_range_fault under mmap_lock: -EBUSY if the sequence moved, -EFAULT if unmapped */
    atomic {
        if
        :: subSeq != seq -> goto retry
        :: else -> got = cpuPresent
        fi
    }
    if
    :: !got -> goto out
    :: else -> skip
    fi;
    atomic { driverLock == 0 -> driverLock = 1 }
    if
    :: RETRY && subSeq != seq -> driverLock = 0; goto retry
    :: else -> skip
    fi;
    gpuPresent = 1;
    driverLock = 0;
out:
    bindDone = 1
}

active proctype unmapper() {
    invSeq = invSeq | 1;                                   /* invalidate_range_start */
    atomic { driverLock == 0 -> driverLock = 1 }          /* the driver's callback */
    subSeq = invSeq;                                       /* mmu_interval_set_seq */
    gpuPresent = 0;                                        /* zap the GPU PTE */
    driverLock = 0;
    cpuPresent = 0;                                        /* zap the CPU PTE ... */
    freed = 1;                                             /* ... and free the page */
    invSeq = invSeq + 1                                    /* invalidate_range_end */
}

active proctype device() {
    bindDone;
    /* a GPU read through the PTE: the lookup and the access are one step */
    atomic {
        if
        :: gpuPresent -> assert(!freed)
        :: else -> skip
        fi
    }
}
