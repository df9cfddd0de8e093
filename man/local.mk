# man/: mdoc pages for every program and file format
dist_man_MANS += man/rampart.conf.5 man/rampart-spool.5 man/rampart-setup.8 \
	man/rampart-routes.5 man/rampart-init.8
