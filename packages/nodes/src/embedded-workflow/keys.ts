/** How each container labels the embedded workflow JSON. */
export const WAV_SOFTWARE = 'sa3-workflows';
export const ID3_DESCRIPTION = 'sa3-workflow';
export const VORBIS_KEY = 'SA3_WORKFLOW';
