#!/bin/sh
# 65-mounts.sh - the mount option model seen from inside the container: mount(8) flags,
# propagation, recursive attributes (rro over a submount), idmap/ridmap with and without a
# user namespace, tmpcopyup, masked and read-only paths, a hostile rootfs symlink that
# must not send a mount onto the host, clear errors that leave nothing mounted, `features`.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# m DEST SOURCE TYPE OPTIONS_JSON [EXTRA_MEMBERS]: one mount object
m() {
	printf '{"destination": "%s", "source": "%s", "type": "%s", "options": %s%s}' \
		"$1" "$2" "$3" "$4" "${5:+, $5}"
}

# maps CONTAINER_ID HOST_ID SIZE: uidMappings and gidMappings members
maps() {
	_m=$(printf '[{"containerID": %s, "hostID": %s, "size": %s}]' "$1" "$2" "$3")
	printf '"uidMappings": %s, "gidMappings": %s' "$_m" "$_m"
}

# opts_of POINT TEXT: the per-mount options of POINT in probe mountinfo output
opts_of() {
	printf '%s\n' "$2" | sed -n "s|^mount=$1 type=[^ ]* opts=\([^ ]*\) .*|\1|p" | tail -n 1
}

super_of() {
	printf '%s\n' "$2" | sed -n "s|^mount=$1 .* super=\([^ ]*\) .*|\1|p" | tail -n 1
}

prop_of() {
	printf '%s\n' "$2" | sed -n "s|^mount=$1 .* prop=\([^ ]*\) .*|\1|p" | tail -n 1
}

# has_opt DESC POINT OPT TEXT
has_opt() {
	check_match "$1" "(^|,)$3(,|\$)" "$(opts_of "$2" "$4")"
}

# --- mount(8) flags on a tmpfs and on a bind mount ---
mkdir -p "$WORK/flags"
echo data >"$WORK/flags/file"
id=$(cid flags)
B=$(RUNT_EXTRA_MOUNTS="$(m /t tmpfs tmpfs '["ro", "nosuid", "nodev", "noexec", "noatime", "size=1m"]'),
	$(m /b "$WORK/flags" none '["bind", "nosuid", "nodev", "noexec", "nosymfollow", "nodiratime"]'),
	$(m /s tmpfs tmpfs '["sync", "dirsync", "strictatime"]')" \
	bundle flags /bin/probe mountinfo write /t/x x write /b/new y read /b/file write /s/x z)
rtc run --bundle "$B" "$id"
check_rc "run with flagged mounts exits 0" 0
for o in ro nosuid nodev noexec noatime; do
	has_opt "tmpfs /t is $o" /t "$o" "$OUT"
done
check_eq "tmpfs /t refuses writes" "error EROFS" "$(kv write./t/x "$OUT")"
for o in rw nosuid nodev noexec nosymfollow nodiratime; do
	has_opt "bind /b is $o" /b "$o" "$OUT"
done
check_eq "bind /b shows the host file" data "$(kv read./b/file "$OUT")"
check_eq "bind /b is writable" ok "$(kv write./b/new "$OUT")"
# sync and dirsync are superblock flags: mountinfo shows them with the filesystem's options
for o in sync dirsync; do
	check_match "tmpfs /s is $o" "(^|,)$o(,|\$)" "$(super_of /s "$OUT")"
done
check_nomatch "strictatime drops relatime on /s" '(^|,)relatime(,|$)' "$(opts_of /s "$OUT")"
leftovers_check "mount(8) flags"

# --- recursive attributes: rro/rnosuid/rnoexec reach a submount, plain ro does not ---
mkdir -p "$WORK/rvol/sub" "$WORK/rsub"
echo sub >"$WORK/rsub/file"
mount --bind "$WORK/rsub" "$WORK/rvol/sub"
id=$(cid rattr)
B=$(RUNT_EXTRA_MOUNTS="$(m /r "$WORK/rvol" none '["rbind", "rro", "rnosuid", "rnoexec"]'),
	$(m /p "$WORK/rvol" none '["rbind", "ro"]')" \
	bundle rattr /bin/probe mountinfo write /r/x x write /r/sub/x x read /r/sub/file write /p/x x \
	write /p/sub/x x)
rtc run --bundle "$B" "$id"
if ! kernel_has mount_setattr 5.12; then
	check_err "recursive options before Linux 5.12: refused, naming the feature and the kernel" \
		"mount /r (.mounts[6])" "set recursive mount options (Linux 5.12+)"
else
	check_rc "run with recursive attributes exits 0" 0
	for o in ro nosuid noexec; do
		has_opt "rro,rnosuid,rnoexec: /r is $o" /r "$o" "$OUT"
		has_opt "... and so is its submount /r/sub ($o)" /r/sub "$o" "$OUT"
	done
	check_eq "/r refuses writes" "error EROFS" "$(kv write./r/x "$OUT")"
	check_eq "/r/sub refuses writes (rro covers submounts)" "error EROFS" "$(kv write./r/sub/x "$OUT")"
	check_eq "/r/sub still reads" sub "$(kv read./r/sub/file "$OUT")"
	check_eq "plain ro: /p refuses writes" "error EROFS" "$(kv write./p/x "$OUT")"
	check_eq "plain ro: the submount /p/sub stays writable (hence rro)" ok "$(kv write./p/sub/x "$OUT")"
fi
rm -f "$WORK/rsub/x"
umount "$WORK/rvol/sub"
leftovers_check "recursive attributes"

# --- propagation between a shared host directory and the container ---
mkdir -p "$WORK/prop"
mount --bind "$WORK/prop" "$WORK/prop" && mount --make-shared "$WORK/prop"
# prop_case OPTION: the container waits for $WORK/prop/go, which the host creates after
# mounting a tmpfs on $WORK/prop/late; then it prints its mounts.
prop_case() {
	id=$(cid "prop-$1")
	rm -f "$WORK/prop/go"
	mkdir -p "$WORK/prop/late"
	B=$(RUNT_EXTRA_MOUNTS="$(m /pr "$WORK/prop" none "[\"rbind\", \"$1\"]")" bundle "prop-$1" \
		sh -c 'while [ ! -e /pr/go ]; do sleep 0.1; done; exec /bin/probe mountinfo')
	rt_create "$id" "$B"
	rtc start "$id"
	mount -t tmpfs -o size=1m late "$WORK/prop/late"
	touch "$WORK/prop/go"
	wait_status "$id" stopped 10
	PROP_OUT=$(cout "$id")
	rtc delete "$id"
	umount "$WORK/prop/late"
}
prop_case rslave
check_match "rslave: the bind is a slave" '^master:[0-9]+' "$(prop_of /pr "$PROP_OUT")"
check_match "rslave: a host mount made later shows inside" '^mount=/pr/late type=tmpfs ' "$PROP_OUT"
prop_case rshared
check_match "rshared: the bind is shared" '^shared:[0-9]+' "$(prop_of /pr "$PROP_OUT")"
check_match "rshared: a host mount made later shows inside" '^mount=/pr/late type=tmpfs ' "$PROP_OUT"
prop_case rprivate
check_eq "rprivate: the bind is private" private "$(prop_of /pr "$PROP_OUT")"
check_nomatch "rprivate: a host mount made later stays outside" '^mount=/pr/late ' "$PROP_OUT"
umount "$WORK/prop"
leftovers_check "propagation"

# --- idmap without a user namespace: on-disk 1000 is seen as 0, and back ---
mkdir -p "$WORK/idvol"
echo owned >"$WORK/idvol/file"
chown -R 1000:1000 "$WORK/idvol"
id=$(cid idmap)
B=$(RUNT_EXTRA_MOUNTS="$(m /id "$WORK/idvol" none '["bind", "idmap"]' "$(maps 1000 0 1)")" \
	bundle idmap /bin/probe mountinfo stat /id stat /id/file write /id/new x)
rtc run --bundle "$B" "$id"
IDMAP_OK=1
if ! kernel_has mount_setattr 5.12; then
	IDMAP_OK=0
	check_err "idmap before Linux 5.12: refused, naming the feature and the kernel" \
		"mount /id (.mounts[6])" "idmapped mounts need Linux 5.12 or later (mount_setattr)"
else
	case $ERR in
	*"idmapped mounts are not supported"*)
		IDMAP_OK=0
		diag "$ERR"
		skip "idmapped mounts" "the filesystem of $WORK or the kernel cannot idmap"
		;;
	*)
		check_rc "run with an idmapped bind exits 0" 0
		has_opt "/id is idmapped" /id idmapped "$OUT"
		check_eq "the directory owned by 1000 on the host is 0 inside" "dir 0755 0 0" \
			"$(kv stat./id "$OUT" | cut -d' ' -f1-4)"
		check_eq "... and so is its file" "reg 0644 0 0" "$(kv stat./id/file "$OUT" | cut -d' ' -f1-4)"
		check_eq "root writes into the idmapped mount" ok "$(kv write./id/new "$OUT")"
		check_eq "the new file is owned by 1000:1000 on the host" 1000:1000 \
			"$(stat -c %u:%g "$WORK/idvol/new" 2>/dev/null)"
		;;
	esac
fi
leftovers_check "idmap"

# --- ridmap reaches submounts, idmap does not ---
if [ "$IDMAP_OK" = 1 ]; then
	mkdir -p "$WORK/rid/sub" "$WORK/ridsub"
	chown 1000:1000 "$WORK/rid" "$WORK/ridsub"
	mount --bind "$WORK/ridsub" "$WORK/rid/sub"
	id=$(cid ridmap)
	B=$(RUNT_EXTRA_MOUNTS="$(m /rid "$WORK/rid" none '["rbind", "ridmap"]' "$(maps 1000 0 1)"),
		$(m /nid "$WORK/rid" none '["rbind", "idmap"]' "$(maps 1000 0 1)")" \
		bundle ridmap /bin/probe mountinfo stat /rid stat /rid/sub stat /nid stat /nid/sub)
	rtc run --bundle "$B" "$id"
	check_rc "run with ridmap and idmap rbinds exits 0" 0
	check_eq "ridmap: /rid is 0:0" "dir 0755 0 0" "$(kv stat./rid "$OUT" | cut -d' ' -f1-4)"
	check_eq "ridmap: the submount /rid/sub is 0:0 too" "dir 0755 0 0" \
		"$(kv stat./rid/sub "$OUT" | cut -d' ' -f1-4)"
	has_opt "ridmap: /rid/sub is idmapped" /rid/sub idmapped "$OUT"
	check_eq "idmap: /nid is 0:0" "dir 0755 0 0" "$(kv stat./nid "$OUT" | cut -d' ' -f1-4)"
	check_eq "idmap: the submount /nid/sub keeps the host's 1000:1000" "dir 0755 1000 1000" \
		"$(kv stat./nid/sub "$OUT" | cut -d' ' -f1-4)"
	umount "$WORK/rid/sub"
	leftovers_check "ridmap"
fi

# --- idmap in a container with a user namespace (0 -> 100000, 65536) ---
if [ "$IDMAP_OK" = 1 ] && [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ]; then
	mkdir -p "$WORK/uvol0" "$WORK/uvol1000"
	echo root >"$WORK/uvol0/file"
	chown 1000:1000 "$WORK/uvol1000"
	id=$(cid idmap-userns)
	B=$(RUNT_USERNS=1 RUNT_EXTRA_MOUNTS="$(m /u0 "$WORK/uvol0" none '["rbind", "idmap"]'),
		$(m /u1000 "$WORK/uvol1000" none '["bind", "idmap"]' "$(maps 1000 100000 1)")" \
		bundle idmap-userns /bin/probe id stat /u0/file write /u0/new x stat /u1000 write /u1000/new y)
	# the container's root cannot create directories in a rootfs owned by the host's root
	mkdir -p "$B/rootfs/u0" "$B/rootfs/u1000"
	rtc run --bundle "$B" "$id"
	check_rc "run with idmapped mounts in a user namespace exits 0" 0
	check_eq "no mappings: the container's own are used (host 0 is 0 inside)" "reg 0644 0 0" \
		"$(kv stat./u0/file "$OUT" | cut -d' ' -f1-4)"
	check_eq "... root writes there" ok "$(kv write./u0/new "$OUT")"
	check_eq "... and the file is 0:0 on the host" 0:0 "$(stat -c %u:%g "$WORK/uvol0/new" 2>/dev/null)"
	check_eq "mappings 1000 -> 100000: host 1000 is 0 inside" "dir 0755 0 0" \
		"$(kv stat./u1000 "$OUT" | cut -d' ' -f1-4)"
	check_eq "... root writes there" ok "$(kv write./u1000/new "$OUT")"
	check_eq "... and the file is 1000:1000 on the host" 1000:1000 \
		"$(stat -c %u:%g "$WORK/uvol1000/new" 2>/dev/null)"
	leftovers_check "idmap with a user namespace"
fi

# --- tmpcopyup ---
id=$(cid copyup)
B=$(RUNT_EXTRA_MOUNTS="$(m /cu tmpfs tmpfs '["tmpcopyup", "size=1m"]')" \
	bundle copyup /bin/probe mountinfo stat /cu stat /cu/a read /cu/a readlink /cu/l read /cu/d/b \
	stat /cu/d write /cu/new x)
mkdir -p "$B/rootfs/cu/d"
echo alpha >"$B/rootfs/cu/a"
echo beta >"$B/rootfs/cu/d/b"
ln -s a "$B/rootfs/cu/l"
chown 1000:1000 "$B/rootfs/cu/a" "$B/rootfs/cu/d"
chmod 0604 "$B/rootfs/cu/a"
chmod 0711 "$B/rootfs/cu/d"
chmod 0750 "$B/rootfs/cu"
rtc run --bundle "$B" "$id"
check_rc "run with tmpcopyup exits 0" 0
check_match "/cu is a tmpfs" '^mount=/cu type=tmpfs ' "$OUT"
check_eq "the tmpfs root keeps the directory's mode" "dir 0750 0 0" "$(kv stat./cu "$OUT" | cut -d' ' -f1-4)"
check_eq "a file is copied up" alpha "$(kv read./cu/a "$OUT")"
check_eq "... with its mode and owner" "reg 0604 1000 1000" "$(kv stat./cu/a "$OUT" | cut -d' ' -f1-4)"
check_eq "a symlink is copied up" a "$(kv readlink./cu/l "$OUT")"
check_eq "a subdirectory is copied up" beta "$(kv read./cu/d/b "$OUT")"
check_eq "... with its mode and owner" "dir 0711 1000 1000" "$(kv stat./cu/d "$OUT" | cut -d' ' -f1-4)"
check_eq "the copy is writable" ok "$(kv write./cu/new "$OUT")"
check "... and the rootfs underneath is untouched" test ! -e "$B/rootfs/cu/new"
leftovers_check "tmpcopyup"

# --- masked and read-only paths of the bundle's choosing ---
id=$(cid mask)
B=$(RUNT_MASKED_PATHS='["/secret", "/secretdir", "/absent"]' RUNT_READONLY_PATHS='["/rodir"]' \
	bundle mask /bin/probe read /secret write /secret x stat /secretdir/x write /secretdir/y x \
	write /rodir/z x read /rodir/keep)
echo topsecret >"$B/rootfs/secret"
mkdir -p "$B/rootfs/secretdir" "$B/rootfs/rodir"
echo x >"$B/rootfs/secretdir/x"
echo kept >"$B/rootfs/rodir/keep"
rtc run --bundle "$B" "$id"
check_rc "run with masked and read-only paths exits 0" 0
check_match "a masked file reads empty" '^read\./secret=$' "$OUT"
check_eq "a masked directory hides its files" "error ENOENT" "$(kv stat./secretdir/x "$OUT")"
check_eq "a masked directory refuses writes" "error EROFS" "$(kv write./secretdir/y "$OUT")"
check_eq "a read-only path refuses writes" "error EROFS" "$(kv write./rodir/z "$OUT")"
check_eq "... and still reads" kept "$(kv read./rodir/keep "$OUT")"
check_eq "the masked file is intact on the host" topsecret "$(cat "$B/rootfs/secret")"
leftovers_check "masked and read-only paths"

# --- a rootfs symlink to a host path: the mount lands inside the rootfs ---
mkdir -p "$WORK/host-target"
id=$(cid escape)
B=$(RUNT_EXTRA_MOUNTS="$(m /evil/x tmpfs tmpfs '["size=1m"]'),
	$(m /evil/y "$WORK/flags" none '["bind"]'),
	$(m /up/escape-z tmpfs tmpfs '["size=1m"]')" \
	bundle escape /bin/probe mountinfo)
ln -s "$WORK/host-target" "$B/rootfs/evil"
ln -s ../../../../../../../../.. "$B/rootfs/up"
rtc run --bundle "$B" "$id"
check_rc "run with mounts behind hostile symlinks exits 0" 0
check_eq "nothing was created in the host directory the symlink names" "" \
	"$(ls -A "$WORK/host-target")"
check "the destinations were created inside the rootfs" \
	test -d "$B/rootfs$WORK/host-target/x" -a -d "$B/rootfs$WORK/host-target/y"
check "\"..\" symlinks stop at the rootfs" test -d "$B/rootfs/escape-z"
check "... and created nothing at the host's /" test ! -e /escape-z
check_match "inside, the tmpfs sits behind the symlink" "^mount=$WORK/host-target/x type=tmpfs " "$OUT"
leftovers_check "hostile symlinks"

# --- errors: clear, and nothing left mounted ---
# err_case NAME MOUNTS_JSON WORD...: create fails naming every WORD
err_case() {
	_n=$1 _mounts=$2
	shift 2
	id=$(cid "err-$_n")
	B=$(RUNT_EXTRA_MOUNTS="$_mounts" bundle "err-$_n" /bin/true)
	rt_create "$id" "$B"
	check_err "$_n: create fails with a clear error" "$@"
	check "$_n: no state left" test -z "$(state_dirs)"
	leftovers_check "$_n"
}
err_case missing-source "$(m /data "$WORK/nope" none '["bind"]')" \
	"mount /data (.mounts[6])" "open source $WORK/nope" "No such file or directory"
err_case bad-data "$(m /data tmpfs tmpfs '["bogus=1"]')" "mount /data (.mounts[6])" "mount tmpfs"
err_case idmap-nomaps "$(m /data "$WORK/flags" none '["bind", "idmap"]')" \
	"mount /data (.mounts[6])" "no uidMappings/gidMappings" "no user namespace"
err_case idmap-tmpfs "$(m /data tmpfs tmpfs '["idmap"]' "$(maps 0 1000 1)")" \
	"mount /data (.mounts[6])" "only bind mounts can be idmapped"
err_case copyup-bind "$(m /data "$WORK/flags" none '["bind", "tmpcopyup"]')" \
	"mount /data (.mounts[6])" "tmpcopyup: only a tmpfs"
mkdir -p "$WORK/ramfs"
if ! kernel_has mount_setattr 5.12; then
	skip "idmap on ramfs" "the kernel has no idmapped mounts at all (tested above)"
elif mount -t ramfs ramfs "$WORK/ramfs" 2>/dev/null; then
	id=$(cid err-ramfs)
	B=$(RUNT_EXTRA_MOUNTS="$(m /data "$WORK/ramfs" none '["bind", "idmap"]' "$(maps 0 1000 1)")" \
		bundle err-ramfs /bin/true)
	rt_create "$id" "$B"
	check_err "a filesystem that cannot be idmapped: clear error" "mount /data (.mounts[6])" \
		"idmapped mounts are not supported by the filesystem of $WORK/ramfs" "hint:"
	umount "$WORK/ramfs"
	leftovers_check "idmap on ramfs"
else
	skip "idmap on ramfs" "cannot mount a ramfs"
fi

# --- features lists what the tests above prove ---
rtc features
check_rc "features exits 0" 0
if command -v python3 >/dev/null 2>&1; then
	check "features is valid JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$OUT"
else
	check_match "features is one JSON object" '^\{.*\}$' "$(printf '%s' "$OUT" | tr -d '\n')"
fi
F=$(printf '%s' "$OUT" | tr -d ' \n')
check_match "features: linux.mountExtensions.idmap.enabled is true" \
	'"mountExtensions":\{"idmap":\{"enabled":true\}\}' "$F"
opts=$(printf '%s' "$F" | sed -n 's/.*"mountOptions":\[\([^]]*\)\].*/\1/p')
missing=
for o in ro nosuid nodev noexec noatime nosymfollow nodiratime sync dirsync strictatime bind \
	rbind rro rnosuid rnoexec rslave rshared rprivate idmap ridmap tmpcopyup; do
	case ",$opts," in *",\"$o\","*) ;; *) missing="$missing $o" ;; esac
done
check_eq "features: mountOptions lists every option tested here" "" "$missing"
check_match "features: linux.namespaces has user" '"namespaces":\[[^]]*"user"' "$F"

done_testing
