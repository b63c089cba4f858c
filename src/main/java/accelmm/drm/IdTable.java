package accelmm.drm;

import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Models the ID allocators of a DRM file: {@code struct idr} for GEM handles ({@code
 * idr_alloc(&file->object_idr, obj, 1, 0)}) and {@code struct xarray} with {@code
 * XA_FLAGS_ALLOC1} for xe's VM and exec-queue IDs. Both hand out the lowest free ID, starting
 * at 1, so 0 never names an object and a freed ID is reused by the next allocation.
 *
 * <p>IDs are private to the table: the same number in two files names two different objects
 * (or nothing), which is what makes handles per-file.
 */
public final class IdTable<T> {

    private final TreeMap<Integer, T> entries = new TreeMap<>();
    /**
     * The entries by ID ({@code [id, id + 1)}); an allocation writes all of it, as which ID it
     * hands out depends on every ID in use.
     */
    private final Shared shared;

    /** A table outside any simulation (unit tests, one actor's bookkeeping). */
    public IdTable() {
        this(Shared.NONE);
    }

    /** A table whose entries {@code shared} observes. */
    public IdTable(Shared shared) {
        this.shared = shared;
    }

    /** {@code xa_alloc}: stores {@code value} at the lowest free ID and returns that ID. */
    public int alloc(T value) {
        if (value == null) {
            throw new IllegalArgumentException("an ID table stores objects, not null");
        }
        shared.write();
        int id = 1;
        for (int used : entries.keySet()) {
            if (used != id) {
                break;
            }
            id++;
        }
        entries.put(id, value);
        return id;
    }

    /** {@code xa_load}: the object at {@code id}, or {@code null}. */
    public T find(int id) {
        shared.read(id, id + 1L);
        return entries.get(id);
    }

    /** {@code xa_erase}: removes and returns the object at {@code id}, or {@code null}. */
    public T erase(int id) {
        shared.write(id, id + 1L);
        return entries.remove(id);
    }

    /** The ID under which {@code value} (by identity) is stored, or 0. */
    public int idOf(T value) {
        shared.read();
        for (Map.Entry<Integer, T> e : entries.entrySet()) {
            if (e.getValue() == value) {
                return e.getKey();
            }
        }
        return 0;
    }

    /** The IDs in use, ascending. */
    public List<Integer> ids() {
        shared.read();
        return new ArrayList<>(entries.keySet());
    }

    public boolean isEmpty() {
        shared.read();
        return entries.isEmpty();
    }

    public int size() {
        shared.read();
        return entries.size();
    }
}
