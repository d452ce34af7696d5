/**
 * Decoding that never mangles a photo: format sniffing, header probing with a pixel cap, EXIF
 * orientation, ICC to sRGB, alpha on white, 16-bit rounding. No Spark.
 */
package org.pdm.preprocess.decode;
