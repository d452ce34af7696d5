package org.pdm.preprocess.natives;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * zlib-format compression and decompression by the system's libdeflate ({@code libdeflate.so.0}, Debian/Ubuntu
 * {@code libdeflate0}, RHEL {@code libdeflate}), a whole buffer at a time: on photos' filtered PNG rows
 * it writes zlib's size at the same level in about 1/2.5 of zlib's time (docs/preprocess.md).
 *
 * <p>Each thread keeps its own compressors (one per level) and native input and output buffers, grown
 * as needed and reused, so that an image costs no native allocation; they live as long as the thread
 * (executor task threads are pooled). The caller appends its bytes with {@link Buffer#append}, then
 * {@link Buffer#compress}es and copies the result out where it wants it.
 */
public final class NativeDeflate {
  /** The library's name for the dynamic loader. */
  public static final String LIBRARY = "libdeflate.so.0";
  /** Native buffers up to this size are kept for the thread's next image; larger ones are freed. */
  static final long RETAINED_BYTES = 64L << 20;
  /** libdeflate's highest level. */
  public static final int MAX_LEVEL = 12;

  private static final class Lib {
    static native Pointer libdeflate_alloc_compressor(int level);

    static native long libdeflate_zlib_compress(Pointer compressor, Pointer in, long inBytes, Pointer out, long outAvail);

    static native long libdeflate_zlib_compress_bound(Pointer compressor, long inBytes);

    static native void libdeflate_free_compressor(Pointer compressor);

    static native Pointer libdeflate_alloc_decompressor();

    static native int libdeflate_zlib_decompress(Pointer decompressor, Pointer in, long inBytes, Pointer out,
        long outAvail, Pointer actualOut);

    static native void libdeflate_free_decompressor(Pointer decompressor);
  }

  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
  private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

  private NativeDeflate() {}

  /**
   * Binds the library and compresses a few bytes to prove it works.
   *
   * @throws LinkageError or a runtime exception, with the loader's reason, when it is not usable
   */
  static NativeDeflate load() {
    if (Native.SIZE_T_SIZE != 8) {
      throw new UnsatisfiedLinkError("the binding assumes a 64-bit size_t; this JVM has " + Native.SIZE_T_SIZE);
    }
    Native.register(Lib.class, NativeLibrary.getInstance(LIBRARY));
    NativeDeflate d = new NativeDeflate();
    Buffer b = d.buffer(16);
    b.append(new byte[16], 0, 16);
    if (b.compress(6) <= 0) {
      throw new IllegalStateException(LIBRARY + " compressed 16 bytes into nothing");
    }
    return d;
  }

  /** This thread's buffer, emptied, with room for {@code inputBytes}. */
  public Buffer buffer(long inputBytes) {
    Buffer b = buffers.get();
    b.reset(inputBytes);
    return b;
  }

  /** One thread's compressors and native buffers. */
  public static final class Buffer {
    /** Compressors by level, then the decompressor (last). */
    private final Pointer[] compressors = new Pointer[MAX_LEVEL + 2];
    private Memory in;
    private Memory out;
    private long length;
    private long compressed;

    private Buffer() {
      // Thread gone, buffer unreachable: its compressors (about 0.5 to 1 MB each) are freed.
      Pointer[] owned = compressors;
      CLEANER.register(this, () -> {
        for (int i = 0; i <= MAX_LEVEL; i++) {
          if (owned[i] != null) {
            Lib.libdeflate_free_compressor(owned[i]);
          }
        }
        if (owned[MAX_LEVEL + 1] != null) {
          Lib.libdeflate_free_decompressor(owned[MAX_LEVEL + 1]);
        }
      });
    }

    void reset(long capacity) {
      if (in == null || in.size() < capacity) {
        in = new Memory(Math.max(capacity, 1));
      }
      length = 0;
      compressed = 0;
    }

    /** Appends {@code len} bytes of {@code b}; the capacity given to {@link #buffer} must hold them. */
    public void append(byte[] b, int off, int len) {
      in.write(length, b, off, len);
      length += len;
    }

    /**
     * Compresses what was appended as one zlib stream (header, deflate data, Adler-32).
     *
     * @param level 1 to 12 (libdeflate's levels; 1-9 are meant to match zlib's in size)
     * @return the compressed length
     */
    public int compress(int level) {
      if (level < 1 || level > MAX_LEVEL) {
        throw new IllegalArgumentException("libdeflate level " + level + " is outside 1.." + MAX_LEVEL);
      }
      Pointer c = compressors[level];
      if (c == null) {
        c = Lib.libdeflate_alloc_compressor(level);
        if (c == null) {
          throw new OutOfMemoryError("libdeflate_alloc_compressor(" + level + ") returned NULL");
        }
        compressors[level] = c;
      }
      long bound = Lib.libdeflate_zlib_compress_bound(c, length);
      if (out == null || out.size() < bound) {
        out = new Memory(bound);
      }
      compressed = Lib.libdeflate_zlib_compress(c, in, length, out, out.size());
      if (compressed <= 0 || compressed > Integer.MAX_VALUE) {
        throw new IllegalStateException("libdeflate_zlib_compress returned " + compressed + " for " + length + " bytes");
      }
      return (int) compressed;
    }

    /**
     * Decompresses what was appended as one zlib stream into exactly {@code outBytes} bytes, read
     * back with {@link #read}.
     *
     * @return false when the data is corrupt or does not inflate to exactly that size
     */
    public boolean inflate(long outBytes) {
      Pointer d = compressors[MAX_LEVEL + 1];
      if (d == null) {
        d = Lib.libdeflate_alloc_decompressor();
        if (d == null) {
          throw new OutOfMemoryError("libdeflate_alloc_decompressor returned NULL");
        }
        compressors[MAX_LEVEL + 1] = d;
      }
      if (out == null || out.size() < outBytes) {
        out = new Memory(Math.max(outBytes, 1));
      }
      return Lib.libdeflate_zlib_decompress(d, in, length, out, outBytes, null) == 0;
    }

    /** Copies {@code len} inflated bytes from {@code offset} into {@code dst} at {@code off}. */
    public void read(long offset, byte[] dst, int off, int len) {
      out.read(offset, dst, off, len);
    }

    /**
     * Frees a buffer over {@link #RETAINED_BYTES} (a huge image's) instead of keeping it for the
     * thread's next image; call when done with this image.
     */
    public void done() {
      if (in != null && in.size() > RETAINED_BYTES) {
        in.close();
        in = null;
      }
      if (out != null && out.size() > RETAINED_BYTES) {
        out.close();
        out = null;
      }
    }

    /** Copies the compressed bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) {
      out.read(0, dst, off, (int) compressed);
    }
  }
}
