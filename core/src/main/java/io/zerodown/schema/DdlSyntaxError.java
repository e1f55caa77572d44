package io.zerodown.schema;

/** A statement that does not read as one of the statements {@link DdlSchemaParser} understands. */
final class DdlSyntaxError extends Exception {

    DdlSyntaxError(String message) {
        super(message, null, false, false);
    }
}
