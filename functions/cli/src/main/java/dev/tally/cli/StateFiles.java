package dev.tally.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read, written whole or not at all. */
final class StateFiles {
    private StateFiles() {
    }

    /** The state directory, made (mode 700) if absent; absolute. */
    static Path directory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute);
            try {
                Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // the directory's default permissions stand
            }
        }
        return absolute;
    }

    /** The file's content, written first by {@link #createOnce} from {@code fresh} if it does not exist. */
    static String readOrCreate(Path file, java.util.function.Supplier<String> fresh) throws IOException {
        if (!Files.exists(file)) {
            try {
                createOnce(file, fresh.get());
            } catch (FileAlreadyExistsException another) {
                // made by a concurrent writer first: theirs it is
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code content} to {@code file} (mode 600) unless it exists; the file appears whole (it is linked
     * into place from a temporary file), and of two writers at once one wins and the other gets
     * {@link FileAlreadyExistsException}.
     */
    static void createOnce(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = temporaryBeside(file);
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.createLink(file, temporary);
            } catch (UnsupportedOperationException noLinks) {
                if (Files.exists(file)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Replaces {@code file} (mode 600) whole: readers see the old content or the new. */
    static void replace(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = temporaryBeside(file);
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path temporaryBeside(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            return Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        }
    }
}
