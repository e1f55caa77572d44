package io.zerodown.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the objects zerodown creates (sync triggers and their functions), kept within
 * PostgreSQL's 63-byte identifier limit: a longer name is cut and given a short hash of the
 * whole, so that two long names never collide once cut (PostgreSQL itself would cut silently).
 */
final class PgNames {

    static final int MAX_IDENTIFIER_BYTES = 63;

    private PgNames() {
    }

    static String derived(String prefix, String... parts) {
        String full = prefix + "_" + String.join("_", parts);
        if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES) {
            return full;
        }
        String hash = "_" + hash(full);
        StringBuilder cut = new StringBuilder();
        int budget = MAX_IDENTIFIER_BYTES - hash.length();
        for (int i = 0; i < full.length(); ) {
            int cp = full.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            if (cut.toString().getBytes(StandardCharsets.UTF_8).length + ch.getBytes(StandardCharsets.UTF_8).length > budget) {
                break;
            }
            cut.append(ch);
            i += Character.charCount(cp);
        }
        return cut + hash;
    }

    static boolean tooLong(String identifier) {
        return identifier.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
