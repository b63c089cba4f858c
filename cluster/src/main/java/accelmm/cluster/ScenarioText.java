package accelmm.cluster;

import java.io.Serializable;

/** A scenario's text as a member gets it: the file name it was loaded under and its bytes. */
record ScenarioText(String fileName, byte[] text) implements Serializable {
}
