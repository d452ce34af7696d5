package org.pdm.core.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValidationSplitTest {
  @Test
  void hashIsSha256TopBitsAndSplitHasTheFraction() {
    // sha256("a") = ca978112ca1bbdca...: 0xca978112ca1bbdca / 2^64.
    assertEquals(0xca978112ca1bbdcaL >>> 11, (long) (ValidationSplit.unitHash("a") * 0x1.0p53));
    ValidationSplit split = new ValidationSplit(0.1);
    int validation = 0;
    for (int i = 0; i < 20000; i++) {
      if (split.isValidation("img-" + i)) {
        validation++;
      }
    }
    assertTrue(Math.abs(validation - 2000) < 200, "validation rows: " + validation);
    assertFalse(new ValidationSplit(0).isValidation("a"));
    assertThrows(IllegalArgumentException.class, () -> new ValidationSplit(1.0));
  }
}
