# etc/: sample configuration, systemd units, SysV init scripts, logrotate.
# Units and scripts are made from their .in files with the configured
# paths; the sample rampart.conf and accounts are installed only where
# none exists yet (an edited one is never overwritten), and always as
# samples in $(pkgdatadir).
dist_pkgdata_DATA = etc/rampart.conf etc/accounts etc/cover.txt \
	etc/default.rampart

systemdsystemunit_DATA = etc/systemd/rampart-smtpd.service \
	etc/systemd/rampart-queued.service etc/systemd/rampart-notifyd.service \
	etc/systemd/faxgetty@.service
dist_systemdsystemunit_DATA = etc/systemd/rampart.target
initddir = $(sysconfdir)/init.d
initd_SCRIPTS = etc/init.d/rampart-smtpd etc/init.d/rampart-queued \
	etc/init.d/rampart-notifyd etc/init.d/faxgetty
logrotatedir = $(sysconfdir)/logrotate.d
etc_generated = $(systemdsystemunit_DATA) $(initd_SCRIPTS) etc/logrotate.rampart
CLEANFILES += $(etc_generated)
EXTRA_DIST += etc/systemd/rampart-smtpd.service.in \
	etc/systemd/rampart-queued.service.in \
	etc/systemd/rampart-notifyd.service.in etc/systemd/faxgetty@.service.in \
	etc/init.d/rampart.init.in etc/init.d/faxgetty.in \
	etc/logrotate.rampart.in

etc_edit = sed -e 's|@pkglibexecdir[@]|$(pkglibexecdir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@spooldir[@]|$(spooldir)|g' -e 's|@USER[@]|rampart|g' \
	-e 's|@SMTP_USER[@]|rampart-smtp|g' -e 's|@MODEM_GROUP[@]|dialout|g'
etc/systemd/rampart-smtpd.service: $(srcdir)/etc/systemd/rampart-smtpd.service.in
etc/systemd/rampart-queued.service: $(srcdir)/etc/systemd/rampart-queued.service.in
etc/systemd/rampart-notifyd.service: $(srcdir)/etc/systemd/rampart-notifyd.service.in
etc/systemd/faxgetty@.service: $(srcdir)/etc/systemd/faxgetty@.service.in
etc/init.d/faxgetty: $(srcdir)/etc/init.d/faxgetty.in
etc/logrotate.rampart: $(srcdir)/etc/logrotate.rampart.in
etc/init.d/rampart-smtpd etc/init.d/rampart-queued etc/init.d/rampart-notifyd: \
    $(srcdir)/etc/init.d/rampart.init.in
$(etc_generated): Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && rm -f $@ $@.tmp && \
	case $@ in \
	etc/init.d/rampart-*) n=$(@F); n=$${n#rampart-}; \
	    $(etc_edit) -e "s|@NAME[@]|$$n|g" $(srcdir)/etc/init.d/rampart.init.in ;; \
	*) $(etc_edit) $(srcdir)/$@.in ;; \
	esac > $@.tmp && \
	case $@ in etc/init.d/*) chmod +x $@.tmp ;; esac && mv $@.tmp $@

# rampart.conf, accounts and cover.txt: installed once, never over an
# existing file (accounts holds password hashes: mode 0600; the Debian
# package gives it to the smtp user).  The init scripts' defaults file
# likewise.
install-data-local: etc/logrotate.rampart
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/rampart' \
	    '$(DESTDIR)$(sysconfdir)/default' '$(DESTDIR)$(logrotatedir)'
	@for f in rampart/rampart.conf:etc/rampart.conf:644 \
	    rampart/accounts:etc/accounts:600 rampart/cover.txt:etc/cover.txt:644 \
	    default/rampart:etc/default.rampart:644; do \
	  dst=$${f%%:*}; rest=$${f#*:}; src=$${rest%%:*}; mode=$${rest#*:}; \
	  if test -e "$(DESTDIR)$(sysconfdir)/$$dst"; then \
	    echo "$(sysconfdir)/$$dst exists: not replaced (the sample is $(pkgdatadir)/$${src#etc/})"; \
	  else \
	    echo " $(INSTALL) -m $$mode $$src $(sysconfdir)/$$dst"; \
	    $(INSTALL) -m $$mode "$(srcdir)/$$src" "$(DESTDIR)$(sysconfdir)/$$dst" || exit 1; \
	  fi; \
	done
	$(INSTALL_DATA) etc/logrotate.rampart '$(DESTDIR)$(logrotatedir)/rampart'

# removes the installed configuration only if it is still the sample
uninstall-local:
	@for f in rampart/rampart.conf:etc/rampart.conf \
	    rampart/accounts:etc/accounts rampart/cover.txt:etc/cover.txt \
	    default/rampart:etc/default.rampart; do \
	  dst=$${f%%:*}; src=$${f#*:}; \
	  if cmp -s "$(srcdir)/$$src" "$(DESTDIR)$(sysconfdir)/$$dst"; then \
	    rm -f "$(DESTDIR)$(sysconfdir)/$$dst"; fi; \
	done
	rm -f '$(DESTDIR)$(logrotatedir)/rampart'

# tests/install/: make install's layout, the units (systemd-analyze
# verify), the init scripts (start-stop-daemon) and rampart-setup
TESTS += tests/install/install-t.sh tests/install/initd-t.sh \
	tests/install/setup-t.sh
EXTRA_DIST += tests/install/install-t.sh tests/install/initd-t.sh \
	tests/install/setup-t.sh tests/install/inst-lib.sh
