package accelmm.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on the loopback address for test members. Below the kernel's ephemeral range (32768 and
 * up on Linux), which is where members' own outgoing connections get their ports: a port picked
 * from that range (a socket bound to port 0) can be taken by such a connection before the member
 * binds it.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port from 20000 to 31999 that was free a moment ago. */
    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                // Taken: try another.
            }
        }
        throw new IllegalStateException("no free port on the loopback address from 20000 to 31999");
    }
}
