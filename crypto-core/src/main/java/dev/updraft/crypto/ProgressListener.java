package dev.updraft.crypto;

/** Told how many input bytes a streaming operation has processed so far; for progress bars. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = done -> {};

    void advanced(long bytesDone);
}
