// The signed-in person as the shell knows them (SesiPortalQuery): name, instansi, what the
// policy table grants (aksesSaya), whether they have a team or head a unit.
import { query } from "./api.js";

const REACH = { SENDIRI: 1, BAWAHAN: 2, INSTANSI: 3 };

export class Sesi {
  /** @param {import("../generated/types").SesiPortalQuery} data */
  constructor(data) {
    this.instansi = data.instansi;
    this.saya = data.saya;
    this.belumDibaca = data.jumlahPemberitahuanBelumDibaca;
    /** @type {Map<string, number>} */
    this.akses = new Map(data.aksesSaya.map((a) => [a.operasi, REACH[a.jangkauan]]));
  }

  /** Whether the table grants `operasi` at least as far as `jangkauan`.
   * @param {string} operasi @param {"SENDIRI" | "BAWAHAN" | "INSTANSI"} [jangkauan] */
  boleh(operasi, jangkauan = "SENDIRI") {
    return (this.akses.get(operasi) ?? 0) >= REACH[jangkauan];
  }

  get nama() {
    return this.saya.namaLengkap;
  }

  /** Appraises at least one pegawai today. */
  get punyaTim() {
    return (this.saya.bawahan?.nodes.length ?? 0) > 0;
  }

  get kepalaUnit() {
    return Boolean(this.saya.jabatan?.jabatan.kepalaUnit);
  }

  /** The unit the person's jabatan is in (the unit they head, for a kepala). */
  get unit() {
    return this.saya.jabatan?.jabatan.unit ?? null;
  }

  get adminInstansi() {
    return this.boleh("instansi:configure", "INSTANSI");
  }
}

/** Load the session; null when nobody is signed in. */
export async function loadSesi() {
  return new Sesi(await query("SesiPortalQuery"));
}
