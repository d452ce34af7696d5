/**
 * Optional native codecs bound with JNA (no C code of ours): libdeflate for the deflate stream of PNG
 * output and libturbojpeg for JPEG decoding with DCT-domain scaling. Used when
 * {@code pdm.preprocess.native = auto} and the system's libraries load; every caller keeps the pure
 * JDK path for when they do not ({@link org.pdm.preprocess.natives.NativeCodecs}).
 */
package org.pdm.preprocess.natives;
