package io.zerodown.model.context;

import io.zerodown.model.TableName;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about a migration besides the change itself: where it runs, how big and busy the
 * tables are, what downtime and rollback are acceptable, and who asks for it and why.
 *
 * <pre>{@code
 * MigrationContext context = MigrationContext.builder()
 *         .name("split_full_name").author("ana@example.com").reason("search by last name")
 *         .target(Target.postgres(15))
 *         .profile("users", TableProfile.of(8_000_000, 200, ReadPattern.MOSTLY_READS))
 *         .downtime(DowntimeTolerance.none())
 *         .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(30)))
 *         .build();
 * }</pre>
 */
public record MigrationContext(String name, String author, String reason, LocalDate date, Target target,
                               Map<TableName, TableProfile> profiles, DowntimeTolerance downtime,
                               RollbackRequirement rollback, Framework framework, LockPolicy lockPolicy) {

    public MigrationContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(target, "target");
        profiles = Map.copyOf(profiles);
        Objects.requireNonNull(downtime, "downtime");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(lockPolicy, "lockPolicy");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The profile given for the table, or {@link TableProfile#unknown()}. */
    public TableProfile profile(TableName table) {
        return profiles.getOrDefault(table, TableProfile.unknown());
    }

    public boolean hasProfile(TableName table) {
        return profiles.containsKey(table);
    }

    /** The same context with another downtime tolerance. */
    public MigrationContext withDowntime(DowntimeTolerance newDowntime) {
        return new MigrationContext(name, author, reason, date, target, profiles, newDowntime, rollback, framework, lockPolicy);
    }

    /** Builds a {@link MigrationContext}; target is required, the rest has safe defaults. */
    public static final class Builder {
        private String name = "migration";
        private String author = "unknown";
        private String reason = "";
        private LocalDate date = LocalDate.now();
        private Target target;
        private final Map<TableName, TableProfile> profiles = new LinkedHashMap<>();
        private DowntimeTolerance downtime = DowntimeTolerance.none();
        private RollbackRequirement rollback = RollbackRequirement.oneWay();
        private Framework framework = Framework.RAW_SQL;
        private LockPolicy lockPolicy = LockPolicy.defaults();

        private Builder() {
        }

        /** A short name, used in file names and in the objects zerodown creates (triggers, progress rows). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder author(String author) {
            this.author = author;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** The date written in the script headers; defaults to today. */
        public Builder date(LocalDate date) {
            this.date = date;
            return this;
        }

        public Builder target(Target target) {
            this.target = target;
            return this;
        }

        public Builder profile(String table, TableProfile profile) {
            this.profiles.put(TableName.of(table), profile);
            return this;
        }

        /** Defaults to {@link DowntimeTolerance#none()}. */
        public Builder downtime(DowntimeTolerance downtime) {
            this.downtime = downtime;
            return this;
        }

        /** Defaults to {@link RollbackRequirement#oneWay()}. */
        public Builder rollback(RollbackRequirement rollback) {
            this.rollback = rollback;
            return this;
        }

        public Builder framework(Framework framework) {
            this.framework = framework;
            return this;
        }

        /** Defaults to {@link LockPolicy#defaults()}. */
        public Builder lockPolicy(LockPolicy lockPolicy) {
            this.lockPolicy = lockPolicy;
            return this;
        }

        public MigrationContext build() {
            if (target == null) {
                throw new IllegalStateException("a target is required, e.g. .target(Target.postgres(15))");
            }
            return new MigrationContext(name, author, reason, date, target, profiles, downtime, rollback,
                    framework, lockPolicy);
        }
    }
}
