//! `entra-invite bulk` with the mistakes people make: the input named as the results, a
//! spreadsheet of their own at the results path, a folder, a re-run with invalid rows, two
//! terminals on one results file. Plus the small ones: `--json demo`, a token pasted with a
//! line break.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::{against, bin, emulator, json, run};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ei-cli-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn input(d: &Path, name: &str, emails: &[&str]) -> (PathBuf, String) {
    let mut s = String::from("invitedUserEmailAddress,inviteRedirectUrl,sendInvitationMessage\n");
    for e in emails {
        s.push_str(&format!("{e},https://myapps.microsoft.com/,false\n"));
    }
    let p = d.join(name);
    std::fs::write(&p, &s).unwrap();
    (p, s)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[tokio::test]
async fn files_a_user_gave_are_never_overwritten_or_deleted() {
    let emu = emulator().await;
    let d = dir("never");
    let (same, text) = input(&d, "same.csv", &["ann@fabrikam.com"]);
    // bulk same.csv --results same.csv
    let o = run(against(&emu), &["bulk", s(&same), "--results", s(&same)]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is the input file"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&same).unwrap(), text);

    // bulk partners.tmp --results partners.csv: the input survives.
    let (tmp_in, tmp_text) = input(&d, "partners.tmp", &["bob@fabrikam.com"]);
    let out = d.join("partners.csv");
    let o = run(
        against(&emu),
        &["bulk", s(&tmp_in), "--results", s(&out), "--quiet"],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&tmp_in).unwrap(), tmp_text);

    // A CSV of the user's own at the results path is refused and left as it was.
    let theirs = d.join("contacts.csv");
    std::fs::write(&theirs, "name,phone\nAnn,555\n").unwrap();
    let o = run(against(&emu), &["bulk", s(&same), "--results", s(&theirs)]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not an entra-invite results file"));
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "name,phone\nAnn,555\n"
    );

    // A settle timeout no run could honour.
    let o = run(
        against(&emu),
        &[
            "bulk",
            s(&same),
            "--results",
            s(&d.join("r.csv")),
            "--settle-timeout",
            "1e18",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A folder as the results: refused, no stray `<dir>.tmp`.
    let folder = d.join("out");
    std::fs::create_dir(&folder).unwrap();
    let o = run(against(&emu), &["bulk", s(&same), "--results", s(&folder)]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!d.join("out.tmp").exists());
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    emu.stop().await;
}

#[tokio::test]
async fn re_runs_tell_the_truth_about_invalid_rows() {
    let emu = emulator().await;
    let d = dir("rerun");
    let (inp, _) = input(&d, "in.csv", &["ann@fabrikam.com", "bad@@fabrikam.com"]);
    let out = d.join("r.csv");
    for _ in 0..2 {
        let o = run(
            against(&emu),
            &["--json", "bulk", s(&inp), "--results", s(&out)],
        )
        .await;
        assert_eq!(o.status.code(), Some(2), "invalid rows exit 2 on every run");
        assert_eq!(json(&o)["invalid"], 1);
    }
    // Fixed: the fixed row is invited, the run says the input changed, and exits 0.
    let (inp, _) = input(&d, "in.csv", &["ann@fabrikam.com", "bad@fabrikam.com"]);
    let o = run(
        against(&emu),
        &["bulk", s(&inp), "--results", s(&out), "--quiet"],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("1 invited") && text.contains("1 settled by an earlier run"),
        "{text}"
    );
    assert!(text.contains("1 new rows (1 of them fixed)"), "{text}");
    emu.stop().await;
}

#[tokio::test]
async fn a_second_terminal_on_the_same_results_is_refused_naming_the_first() {
    let emu = emulator().await;
    let d = dir("two");
    let emails: Vec<String> = (0..60).map(|i| format!("t{i}@fabrikam.com")).collect();
    let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
    let (inp, _) = input(&d, "in.csv", &refs);
    let out = d.join("r.csv");
    // Client-side pacing keeps the first run going for a while.
    let mut first = against(&emu)
        .args(["bulk", s(&inp), "--results", s(&out), "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let o = run(against(&emu), &["bulk", s(&inp), "--results", s(&out)]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("in use by entra-invite bulk (process")
            && err.contains(&first.id().to_string()),
        "{err}"
    );
    // --wait: runs once the first is done, with nothing left to do.
    let o = run(
        against(&emu),
        &["--json", "bulk", s(&inp), "--results", s(&out), "--wait"],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["resumed"], 60);
    assert!(first.wait().unwrap().success());
    emu.stop().await;
}

#[tokio::test]
async fn demo_json_and_a_token_with_a_line_break() {
    let o = run(bin(), &["--json", "demo"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert!(v["steps"].as_array().unwrap().len() >= 8, "{v}");
    assert_eq!(
        v["steps"][0]["result"]["invitedUserEmailAddress"],
        "taylor@fabrikam.com"
    );

    let o = run(
        bin(),
        &[
            "--token",
            "eyJ0eXAi\nOiJKV1Qi",
            "--tenant",
            "contoso.onmicrosoft.com",
            "lookup",
            "a@fabrikam.com",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("token"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("eyJ0eXAi"),
        "the token is never printed"
    );
}
