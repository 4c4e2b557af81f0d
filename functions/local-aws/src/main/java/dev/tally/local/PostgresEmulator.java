package dev.tally.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Redshift stand-in: a throwaway PostgreSQL cluster from the installed binaries ({@code initdb},
 * {@code pg_ctl}), in a temporary directory, listening on a free loopback port, trusting local connections,
 * without fsync. Run as the {@code postgres} user when this JVM runs as root (PostgreSQL refuses root). The
 * database is {@code dev} (Redshift's default), the superuser {@code tally}.
 */
final class PostgresEmulator implements Emulator {
    static final String BIN_PROPERTY = "tally.postgres.bin";
    static final Path DEFAULT_BASE = Path.of("/usr/lib/postgresql");
    static final String USER = "tally";
    static final String DATABASE = "dev";
    private static final String SYSTEM_USER = "postgres";
    private static final int PORT_ATTEMPTS = 3;

    private final Path bin;
    private final List<String> asUser;
    private final Path workDir;
    private final Path dataDir;
    private final int port;

    private PostgresEmulator(Path bin, List<String> asUser, Path workDir, Path dataDir, int port) {
        this.bin = bin;
        this.asUser = asUser;
        this.workDir = workDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** {@code -Dtally.postgres.bin=DIR}, else the newest {@code <base>/<version>/bin} that has initdb and pg_ctl. */
    static Path binaries(Path base) {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!hasBinaries(dir)) {
                throw new LocalAwsException("PostgreSQL binaries (initdb, pg_ctl, postgres) not found in " + dir
                        + " (-D" + BIN_PROPERTY + ")");
            }
            return dir;
        }
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(base)) {
                for (Path version : versions) {
                    if (hasBinaries(version.resolve("bin"))) {
                        found.add(version.resolve("bin"));
                    }
                }
            } catch (IOException e) {
                // reported as not found below
            }
        }
        return found.stream().max(Comparator.comparing(PostgresEmulator::majorVersion)).orElseThrow(() ->
                new LocalAwsException("PostgreSQL binaries not found under " + base
                        + ": apt-get install postgresql (or set -D" + BIN_PROPERTY + "=DIR)"));
    }

    private static boolean hasBinaries(Path dir) {
        return List.of("initdb", "pg_ctl", "postgres").stream().map(dir::resolve).allMatch(Files::isExecutable);
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static PostgresEmulator start(Path base) {
        Path bin = binaries(base);
        boolean root = runningAsRoot();
        List<String> asUser = root ? List.of(runuser(), "-u", SYSTEM_USER, "--") : List.of();
        Path workDir = createWorkDir(root);
        try {
            Path dataDir = workDir.resolve("data");
            Processes.Result init = Processes.run(command(asUser, bin.resolve("initdb").toString(),
                    "-D", dataDir.toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"),
                    workDir, 120);
            if (!init.ok()) {
                throw new LocalAwsException("PostgreSQL initdb failed: " + init.oneLine());
            }
            Path log = workDir.resolve("postgres.log");
            LocalAwsException last = null;
            for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
                int port = Processes.freePort();
                String options = "-p " + port + " -c listen_addresses=" + Processes.LOOPBACK + " -k " + workDir
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
                Processes.Result started = Processes.run(command(asUser, bin.resolve("pg_ctl").toString(),
                        "-D", dataDir.toString(), "-l", log.toString(), "-o", options, "-w", "-t", "60", "start"),
                        workDir, 90);
                if (started.ok()) {
                    PostgresEmulator postgres = new PostgresEmulator(bin, asUser, workDir, dataDir, port);
                    postgres.createDatabase();
                    return postgres;
                }
                last = new LocalAwsException("PostgreSQL did not start: " + started.oneLine() + Processes.tail(log));
                stop(bin, asUser, dataDir, workDir);
                if (!Processes.tail(log).contains("could not bind")) {
                    break;
                }
            }
            throw last;
        } catch (RuntimeException e) {
            Processes.deleteTree(workDir);
            throw e;
        }
    }

    private void createDatabase() {
        Path createdb = bin.resolve("createdb");
        List<String> command = Files.isExecutable(createdb)
                ? command(asUser, createdb.toString(), "-h", Processes.LOOPBACK, "-p", Integer.toString(port),
                        "-U", USER, DATABASE)
                : command(asUser, bin.resolve("psql").toString(), "-h", Processes.LOOPBACK, "-p",
                        Integer.toString(port), "-U", USER, "-d", "postgres", "-c", "CREATE DATABASE " + DATABASE);
        Processes.Result created = Processes.run(command, workDir, 60);
        if (!created.ok()) {
            close();
            throw new LocalAwsException("PostgreSQL: creating database " + DATABASE + " failed: " + created.oneLine());
        }
    }

    private static List<String> command(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String runuser() {
        return Processes.onPath("runuser")
                .or(() -> Optional.of(Path.of("/usr/sbin/runuser")).filter(Files::isExecutable))
                .or(() -> Optional.of(Path.of("/sbin/runuser")).filter(Files::isExecutable))
                .map(Path::toString)
                .orElseThrow(() -> new LocalAwsException("running as root: PostgreSQL must run as user `"
                        + SYSTEM_USER + "`, but runuser was not found (util-linux)"));
    }

    /** A fresh temporary directory; as root, one the postgres user owns, under a parent it can reach. */
    private static Path createWorkDir(boolean root) {
        try {
            if (!root) {
                return Files.createTempDirectory("tally-pg-");
            }
            UserPrincipal postgres;
            try {
                postgres = Path.of("/").getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SYSTEM_USER);
            } catch (UserPrincipalNotFoundException e) {
                throw new LocalAwsException("running as root: PostgreSQL must run as user `" + SYSTEM_USER
                        + "`, which does not exist (apt-get install postgresql creates it)");
            }
            Path parent = Path.of(System.getProperty("java.io.tmpdir"));
            if (!reachableByOthers(parent)) {
                parent = Path.of("/tmp");
            }
            Path dir = Files.createTempDirectory(parent, "tally-pg-");
            Files.setOwner(dir, postgres);
            return dir;
        } catch (IOException e) {
            throw new LocalAwsException("PostgreSQL: cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static boolean reachableByOthers(Path dir) {
        try {
            for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void stop(Path bin, List<String> asUser, Path dataDir, Path workDir) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            Processes.run(command(asUser, bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", "immediate", "-w", "-t", "30", "stop"), workDir, 60);
        }
    }

    /** {@code postgresql://tally@127.0.0.1:PORT/dev}: the libpq form, which psql takes as it is. */
    @Override
    public URI endpoint() {
        return URI.create("postgresql://" + USER + "@" + Processes.LOOPBACK + ":" + port + "/" + DATABASE);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + Processes.LOOPBACK + ":" + port + "/" + DATABASE;
    }

    int port() {
        return port;
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        stop(bin, asUser, dataDir, workDir);
        Processes.deleteTree(workDir);
    }
}
