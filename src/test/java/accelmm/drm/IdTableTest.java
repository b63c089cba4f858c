package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The idr / xarray allocator of DRM files: lowest free ID, starting at 1. */
class IdTableTest {

    @Test
    void alloc_emptyTable_startsAtOne() {
        IdTable<String> t = new IdTable<>();

        assertThat(t.alloc("a")).isEqualTo(1);
        assertThat(t.alloc("b")).isEqualTo(2);
    }

    @Test
    void alloc_afterErase_reusesLowestFreeId() {
        IdTable<String> t = new IdTable<>();
        t.alloc("a");
        t.alloc("b");
        t.alloc("c");

        assertThat(t.erase(2)).isEqualTo("b");
        assertThat(t.erase(1)).isEqualTo("a");

        assertThat(t.alloc("d")).isEqualTo(1);
        assertThat(t.alloc("e")).isEqualTo(2);
        assertThat(t.alloc("f")).isEqualTo(4);
    }

    @Test
    void findAndErase_unknownId_giveNull() {
        IdTable<String> t = new IdTable<>();
        t.alloc("a");

        assertThat(t.find(0)).isNull();
        assertThat(t.find(2)).isNull();
        assertThat(t.erase(7)).isNull();
        assertThat(t.ids()).containsExactly(1);
    }

    @Test
    void idOf_comparesByIdentity() {
        IdTable<String> t = new IdTable<>();
        String a = new String("x");
        String b = new String("x");
        t.alloc(a);

        assertThat(t.idOf(a)).isEqualTo(1);
        assertThat(t.idOf(b)).isZero();
    }

    @Test
    void alloc_null_isAModelBug() {
        assertThatThrownBy(() -> new IdTable<String>().alloc(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
