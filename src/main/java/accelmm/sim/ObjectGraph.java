package accelmm.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who holds whom at one moment of a run: the objects a reader follows when a reference goes
 * wrong (processes, their mms and open files, DRM files, GPU VMs, GEM objects, dma-bufs and
 * their attachments, memory regions, page frames) and, from each holder to what it holds, the
 * reference and how it is held: a file descriptor, a handle, a VM mapping, a pin, a page-table
 * entry. A traced run records the graph of the state it ended in ({@link Trace#objectsAtEnd}),
 * which for a run stopped by a broken invariant is the state at the breaking access.
 *
 * <p>The layers above add to it what they know, each naming its own objects: a node is a model
 * object (by identity, so a later layer can name an object an earlier one only pointed at), an
 * edge a reference. Frames are added per page ({@link #frame}) and drawn as ranges: consecutive
 * frames held alike, in the same state, become one node ({@code pfn 3..6}), so that a 64 KiB
 * buffer is one box and not sixteen. The graph is ordered as the objects were added, so the same
 * run gives the same graph.
 */
public final class ObjectGraph {

    /** Bytes of one page frame ({@code PAGE_SIZE}), to tell consecutively mapped frames. */
    private static final long FRAME_BYTES = 4096;

    /**
     * An object: {@code kind} says what it is ({@code process}, {@code file}, {@code gem}, {@code
     * frame}, ...), {@code label} names it as traces do, {@code detail} gives its counts or state.
     */
    public record Node(int id, String kind, String label, String detail) {
    }

    /**
     * A reference of {@code holder} on {@code held}, held {@code via} (a handle, a mapping, ...);
     * {@code stale} when it points at a frame freed or reused since it was taken.
     */
    public record Edge(int holder, int held, String via, boolean stale) {
    }

    /** A reference on one frame, before frames are grouped into ranges. */
    private record FrameRef(int holder, long pfn, String via, long address, String note) {
    }

    private final Map<Object, Integer> ids = new IdentityHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Map<Long, String> frameDetails = new LinkedHashMap<>();
    private final List<FrameRef> frameRefs = new ArrayList<>();
    private boolean framesGrouped;

    /**
     * Names {@code object}: adds it, or gives the name to an object added before only as an
     * end of an edge ({@link #edge} with an unnamed end).
     */
    public void node(Object object, String kind, String label, String detail) {
        Objects.requireNonNull(object);
        Integer id = ids.get(object);
        if (id == null) {
            ids.put(object, nodes.size());
            nodes.add(new Node(nodes.size(), kind, label, detail));
        } else {
            nodes.set(id, new Node(id, kind, label, detail));
        }
    }

    /** Whether {@code object} is in the graph. */
    public boolean has(Object object) {
        return ids.containsKey(object);
    }

    /**
     * A reference of {@code holder} on {@code held}. An end not yet named is added under its
     * {@code toString()} as kind {@code object}, for the layer that knows it to name later.
     */
    public void edge(Object holder, Object held, String via) {
        edges.add(new Edge(idOf(holder), idOf(held), via, false));
    }

    /**
     * A reference of {@code holder} on frame {@code pfn}, in the state {@code detail} (its counts,
     * or that it is free), held {@code via} ({@code pte}, {@code pin}, ...) at {@code address}
     * (a virtual address or an offset in the holder), or -1 when at none; {@code note} says what
     * is wrong with the reference ({@code stale: frame freed}), or is empty.
     */
    public void frame(Object holder, long pfn, String detail, String via, long address, String note) {
        if (framesGrouped) {
            throw new IllegalStateException("frames added after the graph was read");
        }
        frameDetails.putIfAbsent(pfn, detail);
        frameRefs.add(new FrameRef(idOf(holder), pfn, via, address, note));
    }

    private int idOf(Object object) {
        Integer id = ids.get(Objects.requireNonNull(object));
        if (id != null) {
            return id;
        }
        node(object, "object", label(object), "");
        return ids.get(object);
    }

    /**
     * What an object the model did not name is called: its own text, or, for a class without
     * one, its class's name (Object's text has the identity hash, which differs run to run).
     */
    private static String label(Object object) {
        try {
            if (object.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return object.toString();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        String name = object.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }

    public List<Node> nodes() {
        groupFrames();
        return Collections.unmodifiableList(nodes);
    }

    public List<Edge> edges() {
        groupFrames();
        return Collections.unmodifiableList(edges);
    }

    /**
     * Turns the frame references into range nodes: frames in pfn order, a run of consecutive
     * pfns with the same state and the same holders, each holding the next frame at the next
     * page of its address (or at no address), is one node with one edge per holder.
     */
    private void groupFrames() {
        if (framesGrouped) {
            return;
        }
        framesGrouped = true;
        Map<Long, List<FrameRef>> byPfn = new java.util.TreeMap<>();
        frameRefs.forEach(r -> byPfn.computeIfAbsent(r.pfn(), p -> new ArrayList<>()).add(r));
        List<Long> run = new ArrayList<>();
        for (long pfn : byPfn.keySet()) {
            if (!run.isEmpty() && !continues(run.get(run.size() - 1), pfn, byPfn)) {
                addRange(run, byPfn);
                run.clear();
            }
            run.add(pfn);
        }
        if (!run.isEmpty()) {
            addRange(run, byPfn);
        }
    }

    private boolean continues(long last, long pfn, Map<Long, List<FrameRef>> byPfn) {
        if (pfn != last + 1 || !frameDetails.get(pfn).equals(frameDetails.get(last))) {
            return false;
        }
        List<FrameRef> before = byPfn.get(last);
        List<FrameRef> now = byPfn.get(pfn);
        if (before.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            FrameRef b = before.get(i);
            FrameRef n = now.get(i);
            boolean next = b.address() < 0 ? n.address() < 0 : n.address() == b.address() + FRAME_BYTES;
            if (b.holder() != n.holder() || !b.via().equals(n.via()) || !b.note().equals(n.note()) || !next) {
                return false;
            }
        }
        return true;
    }

    private void addRange(List<Long> run, Map<Long, List<FrameRef>> byPfn) {
        long first = run.get(0);
        long last = run.get(run.size() - 1);
        int id = nodes.size();
        nodes.add(new Node(id, "frame", first == last ? "pfn " + first : "pfn " + first + ".." + last,
                frameDetails.get(first) + (first == last ? "" : " each")));
        for (FrameRef r : byPfn.get(first)) {
            String at = r.address() < 0 ? ""
                    : " " + hex(r.address()) + (first == last ? "" : ".." + hex(r.address() + (last - first) * FRAME_BYTES));
            edges.add(new Edge(r.holder(), id, r.via() + at + (r.note().isEmpty() ? "" : " (" + r.note() + ")"),
                    r.note().startsWith("stale")));
        }
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
