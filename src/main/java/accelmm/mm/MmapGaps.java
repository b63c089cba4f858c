package accelmm.mm;

/**
 * The gaps between the VMAs of one address space above {@link MmStruct#MMAP_BASE}, kept so that
 * {@code get_unmapped_area} finds the lowest gap of a given length in logarithmic time, as the
 * kernel's {@code vm_unmapped_area} does with the largest gap each maple-tree node records
 * ({@code mas_empty_area}, lib/maple_tree.c; {@code unmapped_area}, mm/mmap.c).
 *
 * <p>Design note. The model's search is bottom-up (the kernel's legacy layout, {@code
 * mmap_is_legacy}): the lowest address at or above {@code MMAP_BASE} where {@code length} bytes
 * fit below {@code TASK_SIZE}. Instead of a tree of VMAs with the gap below each, this is a
 * binary tree over the pages of {@code [MMAP_BASE, TASK_SIZE)} whose node records, for its page
 * range, the longest free run and the free runs at its two ends; a range all free or all mapped
 * is one node without children, so the tree holds a few dozen nodes per VMA boundary. The first
 * fit goes down the left child while the longest run there is long enough, then tries the run
 * that crosses the middle, then the right child:
 *
 * <pre>
 *   [MMAP_BASE ................................................ TASK_SIZE)
 *   |vma|...free 3...|vma vma|.free 1.|vma|.......free (rest).........|
 *   first fit of 2 pages: left subtree's longest run is 3 >= 2, so it is there
 * </pre>
 *
 * <p>It observes the VMA tree: {@link MmStruct} re-reads the VMAs over a range after each change
 * to it ({@link #refresh}), so the steps of a merge, which may let VMAs overlap for a moment,
 * never leave it out of date.
 */
final class MmapGaps {

    private static final long FIRST_PAGE = MmStruct.MMAP_BASE >>> PageFrame.PAGE_SHIFT;
    private static final long END_PAGE = MmStruct.TASK_SIZE >>> PageFrame.PAGE_SHIFT;

    /** Pages {@code [from, to)} of the tree, relative to {@link #FIRST_PAGE}. */
    private static final class Node {
        Node left;
        Node right;
        /** Longest free run, free run from the start, free run up to the end, in pages. */
        long longest;
        long head;
        long tail;

        Node(long pages, boolean free) {
            fill(pages, free);
        }

        void fill(long pages, boolean free) {
            left = null;
            right = null;
            longest = head = tail = free ? pages : 0;
        }
    }

    private final Node root = new Node(END_PAGE - FIRST_PAGE, true);

    /** {@code [start, end)} (bytes, page aligned) is mapped or free as {@code mapped} says. */
    void set(long start, long end, boolean mapped) {
        long from = Math.max(start >>> PageFrame.PAGE_SHIFT, FIRST_PAGE) - FIRST_PAGE;
        long to = Math.min(end >>> PageFrame.PAGE_SHIFT, END_PAGE) - FIRST_PAGE;
        if (from < to) {
            set(root, 0, END_PAGE - FIRST_PAGE, from, to, !mapped);
        }
    }

    /**
     * The lowest address at or above {@code MMAP_BASE} with {@code pages} free pages below
     * {@code TASK_SIZE}, or -1.
     */
    long firstFit(long pages) {
        if (pages <= 0 || root.longest < pages) {
            return -1;
        }
        return (FIRST_PAGE + firstFit(root, 0, END_PAGE - FIRST_PAGE, pages)) << PageFrame.PAGE_SHIFT;
    }

    private static long firstFit(Node node, long from, long to, long pages) {
        if (node.left == null) {
            return from; // all free: the caller checked that it is long enough
        }
        long mid = from + (to - from) / 2;
        if (node.left.longest >= pages) {
            return firstFit(node.left, from, mid, pages);
        }
        if (node.left.tail + node.right.head >= pages) {
            return mid - node.left.tail;
        }
        return firstFit(node.right, mid, to, pages);
    }

    private static void set(Node node, long from, long to, long setFrom, long setTo, boolean free) {
        if (setFrom <= from && to <= setTo) {
            node.fill(to - from, free);
            return;
        }
        long mid = from + (to - from) / 2;
        if (node.left == null) {
            boolean wasFree = node.longest > 0;
            node.left = new Node(mid - from, wasFree);
            node.right = new Node(to - mid, wasFree);
        }
        if (setFrom < mid) {
            set(node.left, from, mid, setFrom, setTo, free);
        }
        if (setTo > mid) {
            set(node.right, mid, to, setFrom, setTo, free);
        }
        pull(node, mid - from, to - mid);
    }

    /** Recomputes a node from its children, and folds children that are alike into it. */
    private static void pull(Node node, long leftPages, long rightPages) {
        Node l = node.left;
        Node r = node.right;
        node.head = l.head == leftPages ? leftPages + r.head : l.head;
        node.tail = r.tail == rightPages ? rightPages + l.tail : r.tail;
        node.longest = Math.max(Math.max(l.longest, r.longest), l.tail + r.head);
        boolean uniform = l.left == null && r.left == null
                && (l.longest == 0) == (r.longest == 0);
        if (uniform) {
            node.fill(leftPages + rightPages, l.longest > 0);
        }
    }
}
