package io.zerodown;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.SqlName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.DownScript;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Phase;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import io.zerodown.spi.Dialect;
import io.zerodown.spi.GeneralAdvice;
import io.zerodown.spi.ScriptHeader;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract-down script: the inverses of the contract steps that have one, in reverse order,
 * with its own header, file and section of the document; the down script's "not reversible" list
 * points at it, and still says why for contract steps that cannot be undone.
 */
class ContractDownScriptTest {

    /** Renders each script as its header and statements, and records the headers it was given. */
    static final class RecordingDialect implements Dialect {
        final List<ScriptHeader> headers = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public boolean handles(String dialectName) {
            return false;
        }

        @Override
        public Optional<String> versionProblem(Target target) {
            return Optional.empty();
        }

        @Override
        public String quote(SqlName name) {
            return '"' + name.value() + '"';
        }

        @Override
        public Schema parseSchema(String ddl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> problems(Operation operation, Schema schema, MigrationContext context) {
            return List.of();
        }

        @Override
        public CompiledOperation compile(Operation operation, Schema schema, MigrationContext context, int sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public GeneralAdvice generalAdvice(List<Step> steps, MigrationContext context) {
            return new GeneralAdvice(List.of(), List.of(), List.of(), List.of(), List.of());
        }

        @Override
        public String render(ScriptHeader header, List<Step> steps) {
            headers.add(header);
            StringBuilder sql = new StringBuilder("-- " + header.title() + "\n");
            header.lines().forEach(l -> sql.append("-- ").append(l).append('\n'));
            steps.forEach(s -> s.statements().forEach(st -> sql.append(st).append(";\n")));
            return sql.toString();
        }
    }

    static final Schema BEFORE = Schema.of(Table.of(TableName.of("t"), List.of(Column.of("id", SqlType.of("bigint")),
            Column.of("a", SqlType.of("text")), Column.of("b", SqlType.of("text")), Column.of("c", SqlType.of("text")))));

    static final MigrationPlan PLAN = Migration.on("t").dropColumn("a").dropColumn("b").dropColumn("c").plan();

    static MigrationContext context() {
        return MigrationContext.builder().name("m").author("test@example.com").date(LocalDate.of(2026, 1, 1))
                .target(Target.postgres(18)).rollback(RollbackRequirement.oneWay()).build();
    }

    static Step step(String id, Phase phase, String summary, String statement, Inverse inverse) {
        return Step.builder(id, phase, Step.Kind.SCHEMA).summary(summary).statement(statement).estimate(Duration.ofMillis(20))
                .inverse(inverse).ifInterrupted("Run it again.").build();
    }

    static CompiledOperation compiled(int n, Step... steps) {
        CompiledOperation.Builder out = CompiledOperation.builder(PLAN.operations().get(n),
                new Strategy(List.of(Technique.DIRECT), List.of("direct")));
        for (Step s : steps) {
            out.step(s);
        }
        return out.build();
    }

    static final Step UNDO_A = step("1.undo_drop", Phase.CONTRACT, "Add t.a again, empty", "ALTER TABLE t ADD COLUMN a text",
            Inverse.nothing());
    static final Step UNDO_B = step("2.undo_drop", Phase.CONTRACT, "Add t.b again", "ALTER TABLE t ADD COLUMN b text", Inverse.nothing());

    MigrationPackage mixed(RecordingDialect dialect) {
        List<CompiledOperation> ops = List.of(
                compiled(0, step("1.expand", Phase.EXPAND, "Expand for a", "SELECT 1",
                        Inverse.steps(step("1.undo_expand", Phase.EXPAND, "Undo the expansion for a", "SELECT -1", Inverse.nothing()))),
                        step("1.drop", Phase.CONTRACT, "Drop t.a", "ALTER TABLE t DROP COLUMN a",
                                Inverse.lossy("the values of t.a are gone", UNDO_A))),
                compiled(1, step("2.drop", Phase.CONTRACT, "Drop t.b", "ALTER TABLE t DROP COLUMN b", Inverse.steps(UNDO_B))),
                compiled(2, step("3.drop", Phase.CONTRACT, "Drop t.c", "ALTER TABLE t DROP COLUMN c",
                        Inverse.irreversible("t.c is gone for good"))));
        return new PackageAssembler(dialect, context()).assemble(PLAN, BEFORE, ops);
    }

    @Test
    void theContractStepsThatHaveAnInverseAreUndoneInReverseOrderByAScriptOfTheirOwn() {
        RecordingDialect dialect = new RecordingDialect();
        MigrationPackage pkg = mixed(dialect);
        DownScript.ContractDown contractDown = pkg.down().contractDown();

        assertThat(pkg.contract().steps()).extracting(Step::id).containsExactly("1.drop", "2.drop", "3.drop");
        assertThat(contractDown.script().steps()).extracting(Step::id).containsExactly("2.undo_drop", "1.undo_drop");
        assertThat(contractDown.script().fileName()).isEqualTo("m.contract-down.sql");
        assertThat(contractDown.script().estimatedRunTime()).isEqualTo(Duration.ofMillis(40));
        assertThat(contractDown.dataLoss()).containsExactly("Drop t.a: the values of t.a are gone");
        assertThat(contractDown.notUndone()).containsExactly("Drop t.c: t.c is gone for good");
        assertThat(contractDown.safeWhen()).startsWith("Only after the contract script has run");
        assertThat(pkg.down().script().steps()).extracting(Step::id).as("the down script undoes the up script only")
                .containsExactly("1.undo_expand");
        assertThat(pkg.down().safeWhen()).endsWith("After the contract phase it no longer applies: run the contract-down script "
                + "m.contract-down.sql first.");

        ScriptHeader header = dialect.headers.stream().filter(h -> h.title().equals("contract-down")).findFirst().orElseThrow();
        assertThat(header.lines()).contains("Migration: m",
                "Undoes: the contract script; run only after it (or after it stopped halfway), never before it",
                "Data loss: Drop t.a: the values of t.a are gone", "Not undone: Drop t.c: t.c is gone for good");
        assertThat(contractDown.script().sql()).startsWith("-- contract-down\n")
                .containsSubsequence("ALTER TABLE t ADD COLUMN b text;", "ALTER TABLE t ADD COLUMN a text;");
        assertThat(dialect.headers.stream().filter(h -> h.title().equals("contract")).findFirst().orElseThrow().lines())
                .contains("Reversible: only by the contract-down script m.contract-down.sql (see what it loses); once it has run, "
                        + "the down script no longer applies");

        assertThat(pkg.down().irreversible()).containsExactly(
                "contract · Drop t.a: not undone by the down script (it no longer applies once the contract script has run); the "
                        + "contract-down script m.contract-down.sql undoes it, losing data: the values of t.a are gone",
                "contract · Drop t.b: not undone by the down script (it no longer applies once the contract script has run); the "
                        + "contract-down script m.contract-down.sql undoes it, without losing data",
                "contract · Drop t.c: t.c is gone for good");
    }

    @Test
    void theFilesAndTheDocumentCarryTheContractDownScript() {
        MigrationPackage pkg = mixed(new RecordingDialect());
        assertThat(pkg.files()).containsOnlyKeys("m.up.sql", "m.contract.sql", "m.down.sql", "m.contract-down.sql", "README.md");
        assertThat(List.copyOf(pkg.files().keySet()))
                .containsExactly("m.up.sql", "m.contract.sql", "m.down.sql", "m.contract-down.sql", "README.md");
        assertThat(pkg.files().get("m.contract-down.sql")).isEqualTo(pkg.down().contractDown().script().sql());

        String md = pkg.toMarkdown();
        String section4 = md.substring(md.indexOf("## 4. Down script"), md.indexOf("## 5. Execution plan"));
        assertThat(section4).containsSubsequence("**Not reversible:**", "m.contract-down.sql undoes it",
                "File `m.down.sql`", "### Undoing the contract phase", "**When it is safe to run:** Only after the contract script",
                "**Data-loss risk:** \n- Drop t.a: the values of t.a are gone", "**Not undone (cannot be):**\n- Drop t.c: t.c is gone for good",
                "File `m.contract-down.sql`: 2 steps", "psql -v ON_ERROR_STOP=1 -f m.contract-down.sql",
                "```sql\n" + pkg.down().contractDown().script().sql().stripTrailing() + "\n```");
    }

    @Test
    void withoutContractInversesThereIsNoContractDownScript() {
        RecordingDialect dialect = new RecordingDialect();
        MigrationPackage pkg = new PackageAssembler(dialect, context()).assemble(PLAN, BEFORE, List.of(
                compiled(0, step("1.drop", Phase.CONTRACT, "Drop t.a", "ALTER TABLE t DROP COLUMN a", Inverse.irreversible("gone"))),
                compiled(1, step("2.check", Phase.CONTRACT, "Check t.b", "SELECT 1", Inverse.nothing())),
                compiled(2)));
        assertThat(pkg.down().contractDown().isEmpty()).isTrue();
        assertThat(pkg.down().contractDown().notUndone()).containsExactly("Drop t.a: gone");
        assertThat(pkg.down().irreversible()).containsExactly("contract · Drop t.a: gone");
        assertThat(pkg.down().safeWhen()).endsWith("After the contract phase it no longer applies.");
        assertThat(pkg.files()).doesNotContainKey("m.contract-down.sql");
        assertThat(pkg.toMarkdown()).doesNotContain("Undoing the contract phase").doesNotContain("contract-down");
        assertThat(dialect.headers).extracting(ScriptHeader::title).doesNotContain("contract-down");
        assertThat(dialect.headers.stream().filter(h -> h.title().equals("contract")).findFirst().orElseThrow().lines())
                .contains("Reversible: no; once it has run, the down script no longer applies");
    }
}
