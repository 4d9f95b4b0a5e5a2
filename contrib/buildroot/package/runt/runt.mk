################################################################################
#
# runt
#
################################################################################

# Built from the runt tree this BR2_EXTERNAL is part of (contrib/buildroot).
RUNT_VERSION = 0.1.0
RUNT_SITE = $(realpath $(BR2_EXTERNAL_RUNT_PATH)/../..)
RUNT_SITE_METHOD = local
RUNT_DEPENDENCIES = host-pkgconf jsmn

# Static with musl or a static-only configuration; glibc links dynamically.
ifeq ($(BR2_TOOLCHAIN_USES_MUSL)$(BR2_STATIC_LIBS),)
RUNT_STATIC = 0
else
RUNT_STATIC = 1
endif

# strlcpy: in musl and glibc >= 2.38; an older glibc takes it from libbsd (the Makefile's
# link test decides).
ifeq ($(BR2_PACKAGE_LIBBSD),y)
RUNT_DEPENDENCIES += libbsd
endif

# Buildroot strips and sets the hardening flags itself: SMALL=0.
RUNT_MAKE_OPTS = \
	$(TARGET_CONFIGURE_OPTS) \
	PREFIX=/usr \
	SYSTEMDUNITDIR=/usr/lib/systemd/system \
	JSMN_DIR=$(STAGING_DIR)/usr/include \
	STATIC=$(RUNT_STATIC) \
	SMALL=0 \
	RUNC_LINK=$(if $(BR2_PACKAGE_RUNT_RUNC),1,0) \
	GIT_COMMIT=$(RUNT_VERSION)

define RUNT_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(RUNT_MAKE_OPTS) runt
endef

define RUNT_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(RUNT_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) install-bin
endef

define RUNT_INSTALL_INIT_SYSTEMD
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(RUNT_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) install-unit
endef

$(eval $(generic-package))
