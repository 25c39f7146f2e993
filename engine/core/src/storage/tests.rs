use super::*;

fn temp_store() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    (dir, store)
}

#[test]
fn committed_writes_survive_reopen() {
    let (dir, store) = temp_store();
    let (committer, writer) = Committer::start(store.clone(), &StorageConfig::default()).unwrap();
    let ops = vec![Op::Put {
        cf: Cf::Messages,
        key: b"k1".to_vec(),
        value: b"body".to_vec(),
    }];
    futures::executor::block_on(committer.commit(ops)).unwrap();
    drop(committer);
    writer.join();
    drop(store);
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    assert_eq!(
        store.get(Cf::Messages, b"k1").unwrap(),
        Some(b"body".to_vec())
    );
}

#[test]
fn concurrent_commits_all_land() {
    let (_dir, store) = temp_store();
    let (committer, writer) = Committer::start(store.clone(), &StorageConfig::default()).unwrap();
    let threads: Vec<_> = (0..8u32)
        .map(|t| {
            let c = committer.clone();
            std::thread::spawn(move || {
                for i in 0..50u32 {
                    let key = format!("{t:02}-{i:03}").into_bytes();
                    let ops = vec![Op::Put {
                        cf: Cf::Queue,
                        key,
                        value: vec![1],
                    }];
                    futures::executor::block_on(c.commit(ops)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    drop(committer);
    writer.join();
    let mut n = 0;
    store
        .scan(Cf::Queue, b"", None, |_, _| {
            n += 1;
            true
        })
        .unwrap();
    assert_eq!(n, 400);
}

#[test]
fn second_open_reports_lock() {
    let (dir, _store) = temp_store();
    match Store::open(dir.path(), &StorageConfig::default()) {
        Err(StorageError::Locked(_)) => {}
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("second open succeeded"),
    }
}

#[test]
fn scan_respects_bounds() {
    let (_dir, store) = temp_store();
    let ops: Vec<Op> = (0u8..10)
        .map(|i| Op::Put {
            cf: Cf::Queue,
            key: vec![i],
            value: vec![i],
        })
        .collect();
    store.write_ops(&ops, false).unwrap();
    let mut seen = Vec::new();
    store
        .scan(Cf::Queue, &[3], Some(&[7]), |k, _| {
            seen.push(k[0]);
            true
        })
        .unwrap();
    assert_eq!(seen, vec![3, 4, 5, 6]);
}

#[test]
fn the_spool_directory_is_private_to_the_engine() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spool")).unwrap();
    std::fs::set_permissions(
        dir.path().join("spool"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let _store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mode = std::fs::metadata(dir.path().join("spool"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}
