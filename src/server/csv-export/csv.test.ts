import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csvCell", () => {
  it.each<[unknown, string]>([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ['=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
    ["+1 555", "'+1 555"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    [-3, "-3"],
    [12n, "12"],
    [null, ""],
    [undefined, ""],
    [new Date("2026-12-07T10:00:00Z"), "2026-12-07T10:00:00.000Z"],
    [{ a: 1, b: "x,y" }, '"{""a"":1,""b"":""x,y""}"'],
    [" padded", '" padded"'],
  ])("%#", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("ends lines with CRLF", () => {
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });
});
