package accelmm.scenario;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Short digests that tie a result to what produced it: a scenario's text ({@link
 * Scenario#fingerprint}), and that text under one design combination ({@link
 * ScenarioModel#fingerprint}, carried by replay tokens). They catch a schedule or a shard
 * given with the wrong scenario, an edited one or another design; they are no defence against
 * a forgery.
 */
final class Fingerprint {

    /** Hex digits of a scenario text's fingerprint. */
    static final int TEXT_DIGITS = 16;
    /** Hex digits of a replay token's fingerprint: short, as it is copied by hand. */
    static final int TOKEN_DIGITS = 6;

    private Fingerprint() {
    }

    /** The first {@code digits} hex digits of the SHA-256 of {@code text} in UTF-8. */
    static String of(String text, int digits) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, digits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
