import { describe, expect, it } from "vitest";
import { parseAt } from "../client/src/lesson/atParam.ts";

describe("the ?at= moment of a link", () => {
  it("takes a plain decimal event number from 1", () => {
    expect(parseAt("1")).toBe(1);
    expect(parseAt("35335")).toBe(35335);
  });

  it("refuses 1e308, hex, fractions, signs, spaces, zero and numbers no run reaches", () => {
    for (const value of [
      "1e308",
      "0x10",
      "1.0",
      "1.5",
      "+3",
      "-1",
      " 5",
      "5 ",
      "0",
      "007",
      "",
      "Infinity",
      "99999999",
    ])
      expect(parseAt(value), value).toBeNull();
    expect(parseAt(null)).toBeNull();
  });
});
