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
 * is one shared leaf without children, so the tree holds a few dozen nodes per VMA boundary. The first
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

    /**
     * Pages {@code [from, to)} of the tree: {@link #FREE}, {@link #MAPPED}, or a split range
     * with its two halves. The range is not stored; every walk passes it down.
     */
    private static final class Node {
        Node left;
        Node right;
        /** Longest free run, free run from the start, free run up to the end, in pages (split nodes). */
        long longest;
        long head;
        long tail;
    }

    /*
     * A range all free or all mapped is one of these two shared leaves whatever its length, so
     * splitting a range allocates one node, and a walk that sets a range to what it is already
     * allocates none: each execution builds this tree anew, for every mmap.
     */
    private static final Node FREE = new Node();
    private static final Node MAPPED = new Node();

    private Node root = FREE;

    /** {@code [start, end)} (bytes, page aligned) is mapped or free as {@code mapped} says. */
    void set(long start, long end, boolean mapped) {
        long from = Math.max(start >>> PageFrame.PAGE_SHIFT, FIRST_PAGE) - FIRST_PAGE;
        long to = Math.min(end >>> PageFrame.PAGE_SHIFT, END_PAGE) - FIRST_PAGE;
        if (from < to) {
            root = set(root, 0, END_PAGE - FIRST_PAGE, from, to, mapped ? MAPPED : FREE);
        }
    }

    /**
     * The lowest address at or above {@code MMAP_BASE} with {@code pages} free pages below
     * {@code TASK_SIZE}, or -1.
     */
    long firstFit(long pages) {
        if (pages <= 0 || longest(root, END_PAGE - FIRST_PAGE) < pages) {
            return -1;
        }
        return (FIRST_PAGE + firstFit(root, 0, END_PAGE - FIRST_PAGE, pages)) << PageFrame.PAGE_SHIFT;
    }

    private static long firstFit(Node node, long from, long to, long pages) {
        if (node == FREE) {
            return from; // the caller checked that it is long enough
        }
        long mid = from + (to - from) / 2;
        if (longest(node.left, mid - from) >= pages) {
            return firstFit(node.left, from, mid, pages);
        }
        long leftTail = tail(node.left, mid - from);
        if (leftTail + head(node.right, to - mid) >= pages) {
            return mid - leftTail;
        }
        return firstFit(node.right, mid, to, pages);
    }

    /** {@code node}, for pages {@code [from, to)}, with {@code [setFrom, setTo)} set to {@code leaf}. */
    private static Node set(Node node, long from, long to, long setFrom, long setTo, Node leaf) {
        if (node == leaf || setFrom <= from && to <= setTo) {
            return leaf;
        }
        if (node == FREE || node == MAPPED) {
            Node split = new Node();
            split.left = node;
            split.right = node;
            node = split;
        }
        long mid = from + (to - from) / 2;
        if (setFrom < mid) {
            node.left = set(node.left, from, mid, setFrom, setTo, leaf);
        }
        if (setTo > mid) {
            node.right = set(node.right, mid, to, setFrom, setTo, leaf);
        }
        return pull(node, mid - from, to - mid);
    }

    /** Recomputes a split node from its halves, or the leaf both halves are. */
    private static Node pull(Node node, long leftPages, long rightPages) {
        Node l = node.left;
        Node r = node.right;
        if (l == r && (l == FREE || l == MAPPED)) {
            return l;
        }
        long leftHead = head(l, leftPages);
        long leftTail = tail(l, leftPages);
        long rightHead = head(r, rightPages);
        long rightTail = tail(r, rightPages);
        node.head = leftHead == leftPages ? leftPages + rightHead : leftHead;
        node.tail = rightTail == rightPages ? rightPages + leftTail : rightTail;
        node.longest = Math.max(Math.max(longest(l, leftPages), longest(r, rightPages)), leftTail + rightHead);
        return node;
    }

    private static long longest(Node node, long pages) {
        return node == FREE ? pages : node == MAPPED ? 0 : node.longest;
    }

    private static long head(Node node, long pages) {
        return node == FREE ? pages : node == MAPPED ? 0 : node.head;
    }

    private static long tail(Node node, long pages) {
        return node == FREE ? pages : node == MAPPED ? 0 : node.tail;
    }
}
