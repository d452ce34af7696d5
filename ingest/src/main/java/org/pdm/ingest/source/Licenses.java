package org.pdm.ingest.source;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One vocabulary of license names for every source, so that one allow-list works on all of them:
 * Flickr license ids, YFCC license URLs and names, Unsplash, and free text in URL lists.
 */
public final class Licenses {
  public static final List<String> NAMES = List.of("cc-by", "cc-by-sa", "cc-by-nd", "cc-by-nc", "cc-by-nc-sa",
      "cc-by-nc-nd", "cc0", "public-domain", "no-known-copyright", "us-government", "all-rights-reserved",
      "unsplash", "unknown");

  /** Flickr's license ids 0 to 10 (flickr.photos.licenses.getInfo). */
  private static final String[] FLICKR = {"all-rights-reserved", "cc-by-nc-sa", "cc-by-nc", "cc-by-nc-nd", "cc-by",
      "cc-by-sa", "cc-by-nd", "no-known-copyright", "us-government", "cc0", "public-domain"};

  private static final Pattern CC_URL = Pattern.compile("creativecommons\\.org/licenses/([a-z-]+)/");

  private Licenses() {}

  /** A Flickr license id ("4") as a name; unknown ids give null. */
  public static String flickr(String id) {
    if (id == null || id.isBlank()) {
      return null;
    }
    try {
      int i = Integer.parseInt(id.trim());
      return i >= 0 && i < FLICKR.length ? FLICKR[i] : null;
    } catch (NumberFormatException e) {
      return normalize(id);
    }
  }

  /**
   * Free text as a name: a known name as is, a Creative Commons URL or title ("Attribution-ShareAlike
   * License", "CC BY-SA 4.0"), public domain marks; anything else lower-cased, so that the allow-list
   * refuses it unless it names it.
   */
  public static String normalize(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (NAMES.contains(t)) {
      return t;
    }
    Matcher m = CC_URL.matcher(t);
    if (m.find()) {
      return "cc-" + m.group(1);
    }
    if (t.contains("publicdomain/zero") || t.equals("cc0 1.0") || t.startsWith("cc0") || t.contains("cc-zero")) {
      return "cc0";
    }
    if (t.contains("publicdomain/mark") || t.contains("public domain")) {
      return "public-domain";
    }
    if (t.contains("no known copyright")) {
      return "no-known-copyright";
    }
    if (t.contains("united states government") || t.contains("us government")) {
      return "us-government";
    }
    if (t.contains("all rights reserved")) {
      return "all-rights-reserved";
    }
    if (t.contains("attribution") || t.startsWith("cc by") || t.startsWith("cc-by")) {
      String s = t.replace("attribution", "by").replace("noncommercial", "nc").replace("non-commercial", "nc")
          .replace("noderivs", "nd").replace("noderivatives", "nd").replace("no-derivs", "nd")
          .replace("sharealike", "sa").replace("share-alike", "sa").replace("license", "").replace("cc", "");
      StringBuilder name = new StringBuilder("cc-by");
      for (String part : new String[] {"nc", "nd", "sa"}) {
        if (s.matches(".*\\b" + part + "\\b.*")) {
          name.append('-').append(part);
        }
      }
      // nc, nd, sa appended in that order give the canonical names (cc-by-nc-sa, cc-by-nc-nd, ...)
      String n = name.toString();
      return NAMES.contains(n) ? n : t;
    }
    return t;
  }
}
