include $(sort $(wildcard $(BR2_EXTERNAL_RUNT_PATH)/package/*/*.mk))
