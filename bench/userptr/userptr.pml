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
 *
 * -DN=n runs n independent copies of the race (n userptr ranges, each with its own binder,
 * unmapper and device reader, sharing nothing): the state space is the n-th power of one
 * copy's, which gives both tools a search large enough to measure a rate. N=1 is the race.
 */
#ifndef RETRY
#define RETRY 1
#endif
#ifndef N
#define N 1
#endif

byte invSeq[N];      /* the mm's invalidate_seq: even while idle (set to 2 in init) */
byte subSeq[N];      /* the subscription's invalidate_seq (1) */
bool cpuPresent[N];  /* the CPU PTE maps the page */
bool freed[N];       /* the page went back to the allocator */
bool gpuPresent[N];  /* the GPU PTE maps the page */
bool driverLock[N];
bool bindDone[N];

proctype binder(byte i) {
    byte seq;
    bool got;
retry:
    /* mmu_interval_read_begin: sleeps while an invalidation of this range runs */
    atomic { (subSeq[i] != invSeq[i]) -> seq = subSeq[i] }
    /* hmm_range_fault under mmap_lock: -EBUSY if the sequence moved, -EFAULT if unmapped */
    atomic {
        if
        :: subSeq[i] != seq -> goto retry
        :: else -> got = cpuPresent[i]
        fi
    }
    if
    :: !got -> goto out
    :: else -> skip
    fi;
    atomic { driverLock[i] == 0 -> driverLock[i] = 1 }
    if
    :: RETRY && subSeq[i] != seq -> driverLock[i] = 0; goto retry
    :: else -> skip
    fi;
    gpuPresent[i] = 1;
    driverLock[i] = 0;
out:
    bindDone[i] = 1
}

proctype unmapper(byte i) {
    invSeq[i] = invSeq[i] | 1;                             /* invalidate_range_start */
    atomic { driverLock[i] == 0 -> driverLock[i] = 1 }    /* the driver's callback */
    subSeq[i] = invSeq[i];                                 /* mmu_interval_set_seq */
    gpuPresent[i] = 0;                                     /* zap the GPU PTE */
    driverLock[i] = 0;
    cpuPresent[i] = 0;                                     /* zap the CPU PTE ... */
    freed[i] = 1;                                          /* ... and free the page */
    invSeq[i] = invSeq[i] + 1                              /* invalidate_range_end */
}

proctype device(byte i) {
    bindDone[i];
    /* a GPU read through the PTE: the lookup and the access are one step */
    atomic {
        if
        :: gpuPresent[i] -> assert(!freed[i])
        :: else -> skip
        fi
    }
}

init {
    byte i;
    atomic {
        i = 0;
        do
        :: i < N ->
            invSeq[i] = 2; subSeq[i] = 1; cpuPresent[i] = 1;
            run binder(i); run unmapper(i); run device(i);
            i++
        :: else -> break
        od
    }
}
