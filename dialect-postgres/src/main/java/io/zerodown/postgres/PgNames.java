package io.zerodown.postgres;

import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

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

    /**
     * A problem when a trigger or function that an operation creates already exists: made by an
     * earlier operation of the same plan (they coexist until the contract phase), or left by an
     * earlier run of this one.
     */
    static Optional<String> taken(Schema schema, Table table, String name, String operation) {
        boolean exists = schema.functions().stream().anyMatch(f -> f.value().equals(name))
                || table.triggers().stream().anyMatch(t -> t.name().value().equals(name));
        return exists ? Optional.of("a trigger or function named \"" + name + "\" already exists: an earlier operation of this plan "
                + "creates it (one " + operation + " per column until its contract phase has run; split the plan into two migrations), "
                + "or an earlier run of this " + operation + " left it (give the current schema as it is before the migration, or "
                + "finish/undo that run first)") : Optional.empty();
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
