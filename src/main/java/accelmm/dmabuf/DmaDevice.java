package accelmm.dmabuf;

/**
 * Models what the dma-buf core and an exporter see of an importing device ({@code struct device},
 * {@code attach->dev}): its name, and whether it can take part in PCI peer-to-peer DMA. The
 * device drivers' devices implement it, so that an exporter of one driver can judge an importer
 * of another without knowing its type.
 */
public interface DmaDevice {

    /** The device's name in traces: {@code gpu1}. */
    String name();

    /**
     * Whether the device can reach other devices' memory over the bus, and be reached. The model
     * abstracts {@code pci_p2pdma_distance} to this flag: two devices reach each other peer to
     * peer when both have it.
     */
    boolean peerToPeer();
}
