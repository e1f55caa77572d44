package io.zerodown.model.schema;

import io.zerodown.model.FunctionName;
import io.zerodown.model.TriggerName;
import java.util.Objects;

/** A trigger on a table and the function it calls. */
public record Trigger(TriggerName name, FunctionName function) {

    public Trigger {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
    }
}
