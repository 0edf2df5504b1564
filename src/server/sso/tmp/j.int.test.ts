import { it, expect } from "vitest";
import { jackson, closeJackson } from "@/server/sso/jackson";
it("inits", async () => {
  const t0 = Date.now();
  const j = await jackson();
  console.log("init ms", Date.now() - t0);
  const sp = await j.spConfig.get();
  console.log(sp.entityId, sp.acsUrl, sp.publicKey.slice(0, 40));
  const xml = await j.spConfig.toXMLMetadata(false, "https://e/x", "https://e/acs");
  console.log(xml);
  await closeJackson();
});
