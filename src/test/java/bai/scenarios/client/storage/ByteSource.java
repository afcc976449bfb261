package bai.scenarios.client.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes to upload, readable at any offset (a resumed upload starts wherever the proxy says it
 * stopped): a file on disk, read slice by slice, or bytes in memory.
 */
public interface ByteSource {
    long size();

    /** Up to {@code length} bytes starting at {@code offset}. */
    byte[] read(long offset, int length);

    static ByteSource of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new ByteSource() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public byte[] read(long offset, int length) {
                int from = Math.toIntExact(offset);
                int n = Math.min(length, copy.length - from);
                byte[] slice = new byte[n];
                System.arraycopy(copy, from, slice, 0, n);
                return slice;
            }

            @Override
            public String toString() {
                return copy.length + " bytes in memory";
            }
        };
    }

    static ByteSource of(Path file) {
        return new ByteSource() {
            @Override
            public long size() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the size of " + file, e);
                }
            }

            @Override
            public byte[] read(long offset, int length) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    int n = (int) Math.min(length, channel.size() - offset);
                    ByteBuffer buffer = ByteBuffer.allocate(n);
                    while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                        // read until the slice is full
                    }
                    return buffer.array();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + " at " + offset, e);
                }
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }
}
