"""A tiny, hand-made raw data folder with known answers (two EPCI, one department).

Region "84", department "01"; EPCI 200000001 (communes 01001, 01002, 01004)
and EPCI 200000002 (01005, 01006, and 69123 = "Lyon" whose RPLS rows come as
arrondissements 69381/69382). 01003 is a delegated commune of 01002.
"""

from __future__ import annotations

import json
from pathlib import Path

COMMUNES = [
    # code, nom, dep, epci, type, population
    ("01001", "Alpha", "01", "200000001", "CA", 20000),
    ("01002", "Bêta", "01", "200000001", "CA", 4000),
    ("01004", "Gamma", "01", "200000001", "CA", 30000),
    ("01005", "Delta", "01", "200000002", "CC", 1000),
    ("01006", "Epsilon", "01", "200000002", "CC", 3000),
    ("69123", "Lyon", "69", "200000002", "CC", 10000),
    ("75056", "Paris", "75", "200054781", "METRO", 50000),
]


def write_raw(raw: Path) -> Path:
    """Write the fixture raw files into `raw` and return it."""
    raw.mkdir(parents=True, exist_ok=True)
    lines = ["code_insee,nom,departement,departement_nom,region,region_nom,epci_siren,epci_nom,"
             "epci_type,population,siren_commune,codes_postaux,zone"]
    for code, nom, dep, epci, typ, pop in COMMUNES:
        region, rnom = ("11", "Île-de-France") if dep == "75" else ("84", "Auvergne-Rhône-Alpes")
        dnom = {"01": "Ain", "69": "Rhône", "75": "Paris"}[dep]
        lines.append(f"{code},{nom},{dep},{dnom},{region},{rnom},{epci},EPCI {epci},{typ},"
                     f"{pop}.0,2{code}000,{code},metro")
    lines.append("97501,Saint-Pierre,975,Saint-Pierre-et-Miquelon,975,SPM,,,,5000.0,1,97500,com")
    (raw / "ref_communes_cog2026.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (raw / "ref_communes_deleguees_associees_cog2026.csv").write_text(
        "code_insee,nom,type,commune_parent\n"
        "01003,Ancienne,commune-deleguee,01002\n"
        "69381,Lyon 1er,arrondissement-municipal,69123\n"
        "69382,Lyon 2e,arrondissement-municipal,69123\n"
        "75101,Paris 1er,arrondissement-municipal,75056\n", "utf-8")
    (raw / "ref_epci_2026.csv").write_text(
        "epci_siren,epci_nom,epci_type,mode_financement,population_totale,"
        "population_municipale,nb_communes,regions,departements,in_region_84\n"
        "200000001,EPCI 200000001,CA,FPU,54000,54000,3,84,01,True\n"
        "200000002,EPCI 200000002,CC,FPU,14000,14000,3,84,01|69,True\n"
        "200054781,EPCI 200054781,METRO,FPU,50000,50000,1,11,75,False\n", "utf-8")
    # RPLS: 01001 measured (2000 LS, densite 20 -> 10000 RP); 01002 via its own row
    # (100 LS, densite 5 -> 2000 RP) and the delegated 01003 (50 LS, densite 10 -> 500 RP);
    # 01004 absent (0 LS, imputed); Lyon = 2 arrondissements; 99999 unmappable.
    (raw / "rpls_2024_communes_sdes.csv").write_text(
        "REG,DEP,DEPCOM_ARM,LIBCOM,densite,nb_ls,tx_vac,tx_mob\n"
        "84,01,01001,Alpha,20.0,2000,2.0,10.0\n"
        "84,01,01002,Bêta,5.0,100,1.0,5.0\n"
        "84,01,01003,Ancienne,10.0,50,4.0,8.0\n"
        "84,01,01005,Delta,0.0,0,0.0,0.0\n"
        "84,01,01006,Epsilon,10.0,120,0.0,6.0\n"
        "84,69,69381,Lyon,25.0,1000,1.0,5.0\n"
        "84,69,69382,Lyon,50.0,3000,3.0,7.0\n"
        "84,01,01999,Inconnue,10.0,7,0.0,0.0\n"
        "11,75,75101,Paris,10.0,500,1.0,1.0\n", "utf-8")
    (raw / "prog_acv_communes_anct.csv").write_text(
        "insee_com,id_acv,lib_acv,date_signature,actions_en_cours,actions_livrees,lib_reg,"
        "lib_com,insee_dep,insee_reg,siren_epci,lon_wgs84,lat_wgs84,pop_coeurdevilleb_nov18,"
        "id_acv2,acv2_ngeo2023,in_cog2026\n"
        "01001,acv-001,Alpha,24/09/2019,2,16,X,AlphÃ©,01,84,200000001,5,46,1,,False,True\n"
        "01004,acv-230,Gamma,,,,X,Gamma,01,84,200000001,5,46,1,,False,True\n"
        "69123,acv-100,Lyon,01/02/2019,,3,X,Lyon,69,84,200000002,5,46,1,acv-100,True,True\n",
        "utf-8")
    (raw / "prog_anct_programmes_communes_cog2023.csv").write_text(
        '"insee_com","lib_com","id_pvd","id_acv","id_va"\n'
        '"01003","Ancienne","pvd-84-01-1",,\n'
        '"01005","Delta",,,"va-01-1"\n'
        '"01006","Epsilon","pvd-84-01-2",,\n'
        '"01998","Disparue","pvd-84-01-3",,\n', "utf-8")
    (raw / "prog_ami_centres_bourgs_2014.csv").write_text(
        "id_amicb,nom_laureat,code_insee,commune_nom_cog2026,departement,region,perimetre,"
        "nbcom,match_method,programme\n"
        "cb_001,Delta,01005,Delta,01,84,Commune,1,x,AMI\n", "utf-8")
    (raw / "prog_ort_communes_dgaln.csv").write_text(
        "commune_libelle,epci_nom,departement_nom,region_nom,code_insee,statut_commune,"
        "ort_signee,date_signature,date_signature_envisagee,duree_annees,date_fin_estimee,"
        "avancement,commune_acv,commune_pvd,longitude,latitude,derniere_actualisation,"
        "in_cog2026\n"
        "01 - Alpha,E,Ain,ARA,01001,1,Signée,2019-12-13,,0,,,true,false,5,46,x,True\n"
        "01 - Bêta,E,Ain,ARA,01002,3,Non signée,,,0,,,false,false,5,46,x,True\n"
        "01 - Ancienne,E,Ain,ARA,01003,3,En cours,,,0,,,false,false,5,46,x,False\n"
        "01 - Epsilon,E,Ain,ARA,01006,3,,,,0,,,false,false,5,46,x,True\n", "utf-8")
    (raw / "zonage_abc_2024_communes.csv").write_text(
        "CODGEO;REG;DEP;LIBGEO;Zone en vigueur depuis le 5 juillet 2024;"
        "Reclassement juillet 2024\n"
        "01001;84;01;Alpha;B1;Non\n"
        "01002;84;01;Bêta;C;Non\n"
        "01003;84;01;Ancienne;A;Non\n"
        "69381;84;69;Lyon 1;A;Non\n"
        "69382;84;69;Lyon 2;Abis;Non\n", "utf-8")
    (raw / "zone_tendue_tlv_communes.csv").write_text(
        "code_insee,departement,commune\n01001,01,Alpha\n69382,69,Lyon\n", "utf-8")

    write_official(raw)

    def square(x: float) -> dict:
        return {"type": "Polygon",
                "coordinates": [[[x, 45.0], [x + 1, 45.0], [x + 1, 46.0], [x, 46.0], [x, 45.0]]]}

    feats = [{"type": "Feature", "properties": {"code_insee": c[0], "nom": c[1],
                                                "departement": c[2], "epci_siren": c[3]},
              "geometry": square(i)} for i, c in enumerate(COMMUNES) if c[2] != "75"]
    feats[-1]["geometry"] = None  # a commune without geometry, as in the real layer...
    for code, x0 in (("69381", 5.0), ("69382", 5.5)):  # ...whose parts have one
        feats.append({"type": "Feature", "properties": {"code_insee": code, "nom": code,
                                                        "departement": "69",
                                                        "epci_siren": "200000002"},
                      "geometry": {"type": "Polygon", "coordinates": [[
                          [x0, 45.0], [x0 + 0.5, 45.0], [x0 + 0.5, 46.0], [x0, 46.0],
                          [x0, 45.0]]]}})
    (raw / "geo_communes_aura.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    epci_feats = [{"type": "Feature", "properties": {"epci_siren": s, "epci_nom": f"EPCI {s}",
                                                     "epci_type": "CA"},
                   "geometry": square(i * 3)} for i, s in enumerate(["200000001", "200000002"])]
    (raw / "geo_epci_aura.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": epci_feats}), "utf-8")
    return raw


def write_official(raw: Path) -> None:
    """The official files of issue 9, with known answers.

    Census: 01002 = its own row + the delegated 01003; Lyon = 2 arrondissements;
    01006 has no census row. SRU: 01001 subject and déficitaire (18,5 %, target
    25 %, levy 12 345,60 €), 01004 subject without inventory, an impossible rate
    outside the region. PVD 2024: 01001 (adhesion 2018-06-13: its ORT signed on
    2019-12-13 is exactly on the 18-month deadline) and 01006; 01002 (PVD in the
    2023 table through 01003) has left. QPV: Lyon's two arrondissements share QN003.
    Pôle hors programme: 01002 only (structurant, no programme).
    """
    (raw / "rp_menages_2021_communes_insee.csv").write_text(
        "insee_com,insee_reg,insee_dep,commune,commune_type,insee_parente,population_2015,"
        "population_2021,menages_2021\n"
        "01001,84,01,Alpha,COM,,19000,20000,10000\n"
        "01002,84,01,Bêta,COM,,3000,3500,1500\n"
        "01003,84,01,Ancienne,COMD,01002,600,500,200\n"
        "01004,84,01,Gamma,COM,,31000,30000,14000\n"
        "01005,84,01,Delta,COM,,1000,1000,450\n"
        "69381,84,69,Lyon 1er,ARM,69123,5000,5200,3000\n"
        "69382,84,69,Lyon 2e,ARM,69123,4800,4800,2500\n"
        "75101,11,75,Paris 1er,ARM,75056,50000,50000,30000\n", "utf-8")
    head = ("hexagone_drom;Region;Departement;Code_Departement;Code_INSEE_commune;Nom_commune;"
            "Population_municipale_01_01_2025;Code_SIREN_EPCI;Nom_EPCI;EPCI_SRU;"
            "Code_unité_urbaine;Nom_unité_urbaine;UU_SRU;Commune_isolée_article_L_302_5_CCH;"
            "Commune_sru_au_01_01_2025;Commune_sru_au_01_01_2024;"
            "Nombre_lls_ Inventaire_au_01_01_2024;Taux_SRU_au_01_01_2024;commune_deficitaire;"
            "Commune_carencée;Commune_exemptée_2023_2025;Taux_cible_commune_2023_2025;"
            "Prélèvement_net_2025_dont_majoration\n")
    (raw / "sru_inventaire_2025_communes.csv").write_text(
        head
        + "Hexagone;ARA;Ain;01;01001;ALPHA;20000;200000001;E;1;1;U;1;0;1;1;1850;18,50%;1;0;0;"
          "25%;12 345,60 €\n"
        + "Hexagone;ARA;Ain;01;01004;GAMMA;30000;200000001;E;1;1;U;1;0;1;0;Pas d'inventaire;"
          "Pas d'inventaire;0;0;0;20%;0,00 €\n"
        + "Hexagone;IDF;Paris;75;75056;PARIS;50000;200054781;E;1;1;U;1;0;1;1;9000;2126,00%;0;0;"
          "0;25%;0,00 €\n", "utf-8")
    (raw / "prog_pvd_communes_anct_2024-01.csv").write_text(
        "insee_com,lib_com,id_pvd,date_signature\n"
        "01001,Alpha,pvd-84-01-9,2018-06-13\n"
        "01006,Epsilon,pvd-84-01-2,2021-05-28\n", "utf-8")
    (raw / "prog_qpv_2024_communes.csv").write_text(
        "insee_com,lib_com,code_qp,lib_qp\n"
        "01001,Alpha,QN001,Q1\n01001,Alpha,QN002,Q2\n"
        "69381,Lyon 1er,QN003,Q3\n69382,Lyon 2e,QN003,Q3\n", "utf-8")
    centres = {"01001": "Centre majeur d'équipements et de services",
               "01002": "Centre structurant d'équipements et de services",
               "01004": "Centre structurant d'équipements et de services",
               "01005": "Centre intermédiaire d'équipements et de services",
               "01006": "Centre intermédiaire d'équipements et de services",
               "69123": "Centre majeur d'équipements et de services",
               "75056": "Centre majeur d'équipements et de services"}
    (raw / "typo_centralites_communes.csv").write_text(
        "insee_com,lib_com,niveau_centralite\n"
        + "".join(f"{c},X,{level}\n" for c, level in centres.items()), "utf-8")
    (raw / "typo_densite_communes.csv").write_text(
        "insee_com,lib_com,niveau_densite\n"
        + "".join(f"{c},X,Petites villes\n" for c in centres), "utf-8")
    (raw / "rpls_evolution_2019_2023_epci_odt.csv").write_text(
        "epci_siren,epci_nom,taux_evolution_annuel_ls_2019_2023\n"
        "200000001,EPCI 1,1.5\n200000002,EPCI 2,-0.4\n", "utf-8")
