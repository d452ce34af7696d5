package org.pdm.preprocess.natives;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which native codecs this JVM uses, decided once: with {@code pdm.preprocess.native = auto} each
 * library is bound when it loads, and one log line says which codecs are native and, for the others,
 * why not; with {@code off} none is touched (pure JDK).
 */
public final class NativeCodecs {
  private static final Logger LOG = LoggerFactory.getLogger(NativeCodecs.class);
  private static final NativeCodecs OFF = new NativeCodecs(null, null, "off (pdm.preprocess.native = off)",
      "off (pdm.preprocess.native = off)");

  private final NativeJpeg jpeg;
  private final NativeDeflate deflate;
  private final String jpegStatus;
  private final String deflateStatus;

  private NativeCodecs(NativeJpeg jpeg, NativeDeflate deflate, String jpegStatus, String deflateStatus) {
    this.jpeg = jpeg;
    this.deflate = deflate;
    this.jpegStatus = jpegStatus;
    this.deflateStatus = deflateStatus;
  }

  /** Loaded on first use, once per JVM. */
  private static final class Auto {
    static final NativeCodecs INSTANCE = load();

    private static NativeCodecs load() {
      NativeJpeg j = null;
      NativeDeflate d = null;
      String js;
      String ds;
      try {
        j = NativeJpeg.load();
        js = "native (" + NativeJpeg.LIBRARY + ")";
      } catch (Throwable e) { // LinkageError, JNA's own errors: the JDK path then
        js = "JDK (" + NativeJpeg.LIBRARY + " not usable: " + e.getClass().getSimpleName() + ": " + e.getMessage()
            + "; install Debian/Ubuntu libturbojpeg0 or RHEL turbojpeg)";
      }
      try {
        d = NativeDeflate.load();
        ds = "native (" + NativeDeflate.LIBRARY + ")";
      } catch (Throwable e) {
        ds = "JDK (" + NativeDeflate.LIBRARY + " not usable: " + e.getClass().getSimpleName() + ": " + e.getMessage()
            + "; install Debian/Ubuntu libdeflate0 or RHEL libdeflate)";
      }
      NativeCodecs c = new NativeCodecs(j, d, js, ds);
      LOG.info("preprocess codecs (pdm.preprocess.native = auto): JPEG decoding {}; PNG deflate {}", js, ds);
      return c;
    }
  }

  /** @param mode auto or off */
  public static NativeCodecs forMode(String mode) {
    return mode.equals("off") ? OFF : Auto.INSTANCE;
  }

  /** The JPEG decoder, or null for the JDK's. */
  public NativeJpeg jpeg() {
    return jpeg;
  }

  /** The deflater, or null for the JDK's. */
  public NativeDeflate deflate() {
    return deflate;
  }

  /** "native (library)", or "JDK (why)". */
  public String jpegStatus() {
    return jpegStatus;
  }

  public String deflateStatus() {
    return deflateStatus;
  }
}
